"""The edit guard end to end: layout key → hook installed at launch → Claude Code asks before the edit."""

from __future__ import annotations

import json
import sys

from cockpit.agents.layout import AgentSpec, layout_from_dict
from cockpit.agents.team import Team
from cockpit.recording.cast import read_events

from tests.support import eventually, install_fake, py

# Stands in for Claude Code: about to edit README.md, it runs the PreToolUse hooks cockpit
# installed whose matcher takes Edit (through a shell, JSON on stdin) and prints their answers.
FAKE_CLAUDE = f"""#!{sys.executable}
import json, os, re, subprocess, time
settings = json.load(open(".claude/settings.local.json"))
event = {{"hook_event_name": "PreToolUse", "tool_name": "Edit", "cwd": os.getcwd(),
         "tool_input": {{"file_path": os.path.abspath("README.md"), "old_string": "#", "new_string": "##"}}}}
for group in settings["hooks"]["PreToolUse"]:
    matcher = group.get("matcher", "*")
    if matcher in ("*", "") or re.fullmatch(matcher, "Edit"):
        for hook in group["hooks"]:
            done = subprocess.run(hook["command"], shell=True, input=json.dumps(event), capture_output=True, text=True)
            print("HOOK", done.stdout.strip() or "-", flush=True)
print("DONE", flush=True)
time.sleep(3600)
"""


def test_claude_agent_is_asked_before_editing_a_file_another_agent_changed(repo, tmp_path, monkeypatch):
    install_fake(tmp_path, monkeypatch, "claude", FAKE_CLAUDE)
    team = Team(repo)
    team.configure(layout_from_dict({"overlap_guard": True}))
    team.spawn(AgentSpec(name="docs", command=py("import time; time.sleep(3600)")))
    (team.paths.worktree("docs") / "README.md").write_text("# shop, documented\n")
    team.spawn(AgentSpec(name="api", profile="claude", task="Fix the README"))

    def output() -> str:
        return "".join(e.data for e in read_events(team.paths.recording("api"))[1]).replace("\r\n", "\n")

    text = eventually(lambda: "DONE" in output() and output(), what="the fake claude ran its hooks")
    answers = [json.loads(line[5:]) for line in text.splitlines() if line.startswith("HOOK {")]
    assert len(answers) == 1, text
    decision = answers[0]["hookSpecificOutput"]
    assert decision["permissionDecision"] == "ask"
    assert "README.md is also changed by agent docs" in decision["permissionDecisionReason"]
