"""The hook relay keeps each CLI's session id, which is what a restarted agent resumes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cockpit.agents.profiles import Profile, get_profile
from cockpit.agents.store import append_event, latest_session
from cockpit.recording.hookrelay import to_event


def relay(source: str, events: Path, stdin: str = "", args: tuple[str, ...] = (), env: dict[str, str] | None = None) -> None:
    full = {**os.environ, "COCKPIT_EVENTS": str(events), **(env or {})}
    subprocess.run([sys.executable, "-m", "cockpit.recording.hookrelay", source, *args], input=stdin, env=full, check=True, text=True)


def test_the_relay_stores_claude_codes_session_id(tmp_path):
    events = tmp_path / "api.events.jsonl"
    relay("claude", events, json.dumps({"session_id": "3f1c-aa", "hook_event_name": "Stop", "stop_hook_active": False}))
    (event,) = [json.loads(line) for line in events.read_text().splitlines()]
    assert event["session"] == "3f1c-aa" and event["signal"] == "idle"
    assert latest_session(events, "claude") == "3f1c-aa"


def test_codex_threads_count_only_with_a_session_file(tmp_path):
    """Codex 0.171.0 notifies a title request's thread too; only the saved conversation can be resumed."""
    home = tmp_path / "codex-home"
    day = home / "sessions" / "2026" / "12" / "01"
    day.mkdir(parents=True)
    (day / "rollout-2026-12-01T21-34-29-01a2-main.jsonl").write_text("{}\n")
    events = tmp_path / "cx.events.jsonl"
    for thread in ("01a2-main", "01a2-title"):
        payload = {"type": "agent-turn-complete", "thread-id": thread, "turn-id": "t", "last-assistant-message": "ok"}
        relay("codex", events, args=(json.dumps(payload),), env={"CODEX_HOME": str(home)})
    first, second = [json.loads(line) for line in events.read_text().splitlines()]
    assert first["session"] == "01a2-main" and "session" not in second
    assert latest_session(events, "codex") == "01a2-main"


def test_payloads_without_a_session_keep_none():
    assert "session" not in to_event("claude", {"hook_event_name": "Stop"})
    assert "session" not in to_event("codex", {"type": "agent-turn-complete", "thread-id": "../x"})


def test_latest_session_is_the_newest_of_that_source(tmp_path):
    events = tmp_path / "a.events.jsonl"
    append_event(events, "hook", source="claude", signal="turn", session="old")
    append_event(events, "hook", source="claude", signal="idle", session="new")
    append_event(events, "hook", source="gemini", signal="idle", session="other")
    with events.open("a") as fh:
        fh.write('{"kind": "hook", "session": "cut sh')  # a crash mid-line
    assert latest_session(events, "claude") == "new"
    assert latest_session(events, "codex") == "" and latest_session(tmp_path / "none.jsonl", "claude") == ""


def test_the_resume_arguments_take_the_tasks_place():
    assert get_profile("claude").resume_argv("s1", ["--model", "x"]) == ["claude", "--model", "x", "--resume", "s1"]
    codex = get_profile("codex").resume_argv("th", ["-c", "notify=[]"])
    assert codex == ["codex", "-c", "notify=[]", "resume", "th"]
    assert get_profile("aider").resume_argv("s1") is None
    with pytest.raises(ValueError, match="session"):
        Profile(name="x", program="x", resume=["--resume"])
