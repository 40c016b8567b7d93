"""Hooks: installed per worktree, relayed to the events file, read by the tracker."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import run_git

from cockpit.agents.profiles import get_profile
from cockpit.detect import AgentTracker
from cockpit.errors import CockpitError
from cockpit.recording.cast import iter_jsonl
from cockpit.recording.hookrelay import to_event
from cockpit.recording.hooks import install_hooks, relay_command


def relay(source: str, events: Path | None, stdin: str = "", args: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "COCKPIT_EVENTS"}
    if events is not None:
        env["COCKPIT_EVENTS"] = str(events)
    return subprocess.run([sys.executable, "-m", "cockpit.recording.hookrelay", source, *args], input=stdin, env=env, capture_output=True, text=True)


PRE_TOOL = {"session_id": "s1", "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": "npm test", "description": "Run tests"}, "tool_use_id": "toolu_01"}
PERMISSION = {"session_id": "s1", "hook_event_name": "Notification", "notification_type": "permission_prompt", "message": "Claude needs your permission to use Bash"}
IDLE = {"session_id": "s1", "hook_event_name": "Notification", "notification_type": "idle_prompt", "message": "Claude is waiting for your input"}
STOP = {"session_id": "s1", "hook_event_name": "Stop", "stop_hook_active": False}


def test_claude_hooks_are_merged_into_local_settings_and_never_committed(repo, tmp_path):
    settings = repo / ".claude" / "settings.local.json"
    settings.parent.mkdir()
    user_hook = {"matcher": "Write", "hooks": [{"type": "command", "command": "prettier --write"}]}
    settings.write_text(json.dumps({"permissions": {"allow": ["Bash(ls:*)"]}, "hooks": {"PreToolUse": [user_hook]}}))
    events = tmp_path / "api.events.jsonl"
    for _ in range(2):  # installing twice changes nothing
        setup = install_hooks(get_profile("claude"), repo, events)
    data = json.loads(settings.read_text())
    assert data["permissions"] == {"allow": ["Bash(ls:*)"]}
    assert data["hooks"]["PreToolUse"][0] == user_hook and len(data["hooks"]["PreToolUse"]) == 2
    assert set(data["hooks"]) == {"PreToolUse", "Notification", "Stop", "UserPromptSubmit"}
    for groups in data["hooks"].values():
        assert groups[-1]["hooks"][0]["command"] == relay_command("claude")
    assert setup.env == {"COCKPIT_EVENTS": str(events)} and setup.args == [] and setup.notes == []
    assert run_git(repo, "status", "--porcelain") == ""


def test_the_installed_claude_command_relays_each_event(repo, tmp_path):
    events = tmp_path / "a.events.jsonl"
    install_hooks(get_profile("claude"), repo, events)
    command = json.loads((repo / ".claude" / "settings.local.json").read_text())["hooks"]["PreToolUse"][-1]["hooks"][0]["command"]
    env = {**os.environ, "COCKPIT_EVENTS": str(events)}
    for payload in (PRE_TOOL, PERMISSION, IDLE, STOP):
        done = subprocess.run(["sh", "-c", command], input=json.dumps(payload), env=env, capture_output=True, text=True)
        assert done.returncode == 0 and done.stdout == ""
    lines = list(iter_jsonl(events))
    assert [e["signal"] for e in lines] == ["tool", "needs_input", "idle", "idle"]
    assert lines[0]["tool"] == "Bash" and lines[0]["input"]["command"] == "npm test"
    assert all(e["kind"] == "hook" and e["source"] == "claude" and isinstance(e["t"], float) for e in lines)


def test_the_hook_never_fails_the_agent():
    missing = relay_command("claude", python="/nonexistent/python")
    assert subprocess.run(["sh", "-c", missing], input="{}", capture_output=True, text=True).returncode == 0
    assert relay("claude", None, json.dumps(PRE_TOOL)).returncode == 0  # started outside cockpit: no-op
    unwritable = relay("claude", Path("/nonexistent/dir/x.jsonl"), json.dumps(PRE_TOOL))
    assert unwritable.returncode == 0 and "cockpit hook relay" in unwritable.stderr
    garbage = relay("claude", Path("/tmp/unused.jsonl"), "not json")
    assert garbage.returncode == 0 and "cockpit hook relay" in garbage.stderr


def test_codex_notify_goes_on_the_command_line(tmp_path, repo):
    events = tmp_path / "c.events.jsonl"
    setup = install_hooks(get_profile("codex"), repo, events)
    assert setup.args[0] == "-c" and setup.files == []
    notify = tomllib.loads(setup.args[1])["notify"]
    payload = {"type": "agent-turn-complete", "thread-id": "t", "turn-id": "1", "last-assistant-message": "Done: fixed the typo."}
    done = subprocess.run([*notify, json.dumps(payload)], env={**os.environ, "COCKPIT_EVENTS": str(events)}, capture_output=True, text=True)
    assert done.returncode == 0
    (event,) = iter_jsonl(events)
    assert event["signal"] == "idle" and event["message"] == "Done: fixed the typo."


def test_gemini_aider_and_opencode(tmp_path, repo):
    events = tmp_path / "g.events.jsonl"
    gemini = install_hooks(get_profile("gemini"), repo, events)
    data = json.loads((repo / ".gemini" / "settings.json").read_text())
    assert set(data["hooks"]) == {"BeforeTool", "Notification", "AfterAgent", "BeforeAgent"}
    assert gemini.files == [repo / ".gemini" / "settings.json"]
    out = relay("gemini", events, json.dumps({"hook_event_name": "BeforeTool", "tool_name": "run_shell_command", "tool_input": {"command": "ls"}}))
    assert out.returncode == 0 and json.loads(out.stdout) == {}  # Gemini parses stdout as JSON
    aider = install_hooks(get_profile("aider"), repo, events)
    assert aider.args[:2] == ["--notifications", "--notifications-command"] and "cockpit.recording.hookrelay aider" in aider.args[2]
    assert relay("aider", events).returncode == 0
    opencode = install_hooks(get_profile("opencode"), repo, events)
    plugin = (repo / ".opencode" / "plugins" / "cockpit.js").read_text()
    assert opencode.files and "COCKPIT_EVENTS" in plugin and "tool.execute.before" in plugin
    assert [e["signal"] for e in iter_jsonl(events)] == ["tool", "idle"]
    assert run_git(repo, "status", "--porcelain") == ""
    assert install_hooks(get_profile("sim"), repo, events).files == []


def test_a_tracked_settings_file_is_left_alone(make_repo, tmp_path):
    repo = make_repo("team", {".gemini/settings.json": '{"theme": "dark"}\n', "README.md": "x\n"})
    setup = install_hooks(get_profile("gemini"), repo, tmp_path / "e.jsonl")
    assert setup.files == [] and "tracked by git" in setup.notes[0]
    assert (repo / ".gemini" / "settings.json").read_text() == '{"theme": "dark"}\n'


def test_broken_settings_are_an_error_not_overwritten(repo, tmp_path):
    settings = repo / ".claude" / "settings.local.json"
    settings.parent.mkdir()
    settings.write_text("{oops")
    with pytest.raises(CockpitError, match="not valid JSON"):
        install_hooks(get_profile("claude"), repo, tmp_path / "e.jsonl")
    assert settings.read_text() == "{oops"


def test_payload_mapping():
    assert to_event("claude", {"hook_event_name": "Notification", "notification_type": "auth_success", "message": "ok"}) is None
    assert to_event("claude", {"hook_event_name": "UserPromptSubmit", "prompt": "go"})["signal"] == "turn"
    assert to_event("codex", {"hook_event_name": "PermissionRequest", "tool_name": "Bash"})["signal"] == "needs_input"
    assert to_event("gemini", {"hook_event_name": "Notification", "notification_type": "ToolPermission", "message": "Allow?"})["signal"] == "needs_input"
    big = to_event("claude", {**PRE_TOOL, "tool_input": {"file_path": "a.py", "content": "x" * 5000}})
    assert big["input"]["content"].startswith("<5000 chars sha1:")


def test_relayed_events_drive_the_tracker(tmp_path):
    events = tmp_path / "e.jsonl"
    for payload in (PRE_TOOL, PRE_TOOL, PERMISSION):
        relay("claude", events, json.dumps(payload))
    tracker = AgentTracker(get_profile("claude"), started_at=0.0)
    lines = list(iter_jsonl(events))
    for line in lines:
        tracker.event(line["t"], line["kind"], {k: v for k, v in line.items() if k not in ("t", "kind")})
    assert tracker.verdict(lines[-1]["t"] + 1).state == "needs_input"
    relay("claude", events, json.dumps(PRE_TOOL))
    last = list(iter_jsonl(events))[-1]
    tracker.event(last["t"] + 10, "hook", {k: v for k, v in last.items() if k not in ("t", "kind")})
    assert tracker.verdict(last["t"] + 11).state == "looping"  # the same call three times


def test_overlap_guard_hook_is_added_with_the_layout_key_and_taken_out_without(repo, tmp_path):
    from cockpit.overlap.guard import hook_settings

    settings = repo / ".claude" / "settings.local.json"
    settings.parent.mkdir()
    user_hook = {"matcher": "Write", "hooks": [{"type": "command", "command": "prettier --write"}]}
    settings.write_text(json.dumps({"hooks": {"PreToolUse": [user_hook]}}))
    events = tmp_path / "api.events.jsonl"
    guard_group = hook_settings()["hooks"]["PreToolUse"][0]
    for _ in range(2):  # installing twice changes nothing
        install_hooks(get_profile("claude"), repo, events, overlap_guard=True)
    groups = json.loads(settings.read_text())["hooks"]["PreToolUse"]
    assert groups[0] == user_hook and groups[-1] == guard_group and len(groups) == 3
    assert "cockpit.overlap.guard" in guard_group["hooks"][0]["command"] and "Edit" in guard_group["matcher"]
    install_hooks(get_profile("claude"), repo, events)  # the layout turned the guard off
    groups = json.loads(settings.read_text())["hooks"]["PreToolUse"]
    assert groups[0] == user_hook and len(groups) == 2 and groups[1]["hooks"][0]["command"] == relay_command("claude")
