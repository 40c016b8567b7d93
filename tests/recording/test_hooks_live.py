"""Structured hooks end to end: cockpit installs them at launch, the agent fires them, status reads them.

A fake `claude` on PATH stands in for Claude Code: it reads the hook settings
cockpit wrote into its worktree and runs the commands as Claude Code would
(through a shell, JSON on stdin).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cockpit.agents.layout import AgentSpec
from cockpit.agents.team import Team
from cockpit.recording.cast import read_events

from tests.support import agent_row, eventually, install_fake

FAKE_CLAUDE = f"""#!{sys.executable}
import json, subprocess, sys, time
settings = json.load(open(".claude/settings.local.json"))
def fire(event, payload):
    for group in settings["hooks"][event]:
        for hook in group["hooks"]:
            subprocess.run(hook["command"], shell=True, input=json.dumps(payload), text=True)
print("fake claude:", sys.argv[1:], flush=True)
for i in range(4):
    fire("PreToolUse", {{"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {{"command": "npm test"}}}})
    print(f"● Bash(npm test) #{{i}}", flush=True)
    time.sleep(0.4)
fire("Notification", {{"hook_event_name": "Notification", "notification_type": "permission_prompt",
                       "message": "Claude needs your permission to use Bash"}})
time.sleep(3600)
"""


def test_claude_hooks_are_installed_and_their_events_reach_status(repo, tmp_path, monkeypatch, capsys):
    install_fake(tmp_path, monkeypatch, "claude", FAKE_CLAUDE)
    team = Team(repo)
    team.spawn(AgentSpec(name="api", profile="claude", task="Fix the tests"))
    worktree = Path(team.agent("api").worktree)
    settings = json.loads((worktree / ".claude/settings.local.json").read_text())
    assert {"PreToolUse", "Notification", "Stop"} <= set(settings["hooks"])
    assert ".claude/settings.local.json" in (repo / ".git/info/exclude").read_text()  # never committed

    row = eventually(lambda: (r := agent_row(capsys, repo, "api"))["state"] == "needs_input" and r, what="hook says needs input")
    events = [json.loads(line) for line in team.paths.events("api").read_text().splitlines()]
    tools = [e for e in events if e.get("kind") == "hook" and e.get("signal") == "tool"]
    assert len(tools) == 4 and tools[0]["tool"] == "Bash"
    assert row["changed_files"] == []  # hook files are excluded, not work


def test_codex_gets_its_notify_hook_on_the_command_line(repo, tmp_path, monkeypatch, capsys):
    install_fake(tmp_path, monkeypatch, "codex", f"#!{sys.executable}\nimport sys, time\nprint('ARGS', sys.argv[1:], flush=True)\ntime.sleep(3600)\n")
    team = Team(repo)
    team.spawn(AgentSpec(name="cx", profile="codex", task="Add pagination"))
    def output() -> str:
        return "".join(e.data for e in read_events(team.paths.recording("cx"))[1]).replace("\r\n", "")

    text = eventually(lambda: "ARGS" in output() and output(), what="codex output")
    assert "'-c', 'notify=[" in text and "cockpit.recording.hookrelay" in text
    assert text.rstrip().endswith("'Add pagination']")  # the task stays the last argument
