"""The hook command agents run: one event, one line appended to $COCKPIT_EVENTS.

    python -m cockpit.recording.hookrelay SOURCE [PAYLOAD]

The agent's hook passes its JSON on stdin (Claude Code, Gemini CLI) or as the
last argument (Codex `notify`); aider passes nothing.  The event is mapped to
cockpit's vocabulary (signal: tool | turn | needs_input | idle) and appended as
one JSON line.  Standard library only (it runs on every tool call), and it
always exits 0: a missing or broken cockpit must never fail the agent's tool
call.  Without COCKPIT_EVENTS it does nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path

MAX_VALUE = 500  # longer strings in a tool input are replaced by their length and digest


def _compact(value: object) -> object:
    """A tool input small enough to log, still equal exactly when the input was equal."""
    if isinstance(value, str) and len(value) > MAX_VALUE:
        return f"<{len(value)} chars sha1:{hashlib.sha1(value.encode()).hexdigest()[:12]}>"
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


def _claude_like(payload: dict) -> dict | None:
    """Claude Code hook input (Codex hooks use the same shape)."""
    name = payload.get("hook_event_name", "")
    if name == "PreToolUse":
        return {"signal": "tool", "tool": payload.get("tool_name"), "input": _compact(payload.get("tool_input"))}
    if name == "PermissionRequest":
        return {"signal": "needs_input", "message": f"permission for {payload.get('tool_name', 'a tool')}"}
    if name == "Notification":
        kind = payload.get("notification_type", "")
        message = str(payload.get("message", ""))
        if kind in ("permission_prompt", "elicitation_dialog") or (not kind and "permission" in message.lower()):
            return {"signal": "needs_input", "message": message}
        if kind == "idle_prompt" or (not kind and "waiting for your input" in message.lower()):
            return {"signal": "idle", "message": message}
        return None
    if name == "Stop":
        return {"signal": "idle"}
    if name == "UserPromptSubmit":
        return {"signal": "turn"}
    return None


def _gemini(payload: dict) -> dict | None:
    name = payload.get("hook_event_name", "")
    if name == "BeforeTool":
        return {"signal": "tool", "tool": payload.get("tool_name"), "input": _compact(payload.get("tool_input"))}
    if name == "Notification":
        return {"signal": "needs_input", "message": str(payload.get("message", ""))}
    if name == "AfterAgent":
        return {"signal": "idle"}
    if name == "BeforeAgent":
        return {"signal": "turn"}
    return None


def _codex(payload: dict) -> dict | None:
    if "hook_event_name" in payload:
        return _claude_like(payload)
    if payload.get("type") == "agent-turn-complete":
        return {"signal": "idle", "message": str(payload.get("last-assistant-message") or "")[:200]}
    return None


def _session(payload: dict) -> str | None:
    """The CLI's conversation, kept as the event's `session` so a restarted agent can resume it.

    Claude Code's hook input (and Codex's) names it `session_id`.  Codex's notify JSON
    names a `thread-id`, but also for its side requests (the task title, 0.171.0),
    whose threads are never saved: only a thread with a session file under
    $CODEX_HOME/sessions can be resumed.
    """
    session = payload.get("session_id")
    if isinstance(session, str) and session:
        return session
    thread = payload.get("thread-id")
    if isinstance(thread, str) and re.fullmatch(r"[\w-]+", thread):
        home = Path(os.environ.get("CODEX_HOME") or Path.home() / ".codex")
        if next((home / "sessions").rglob(f"rollout-*-{thread}.jsonl"), None) is not None:
            return thread
    return None


def _aider(payload: dict) -> dict | None:
    return {"signal": "idle", "message": "waiting for input"}


SOURCES = {"claude": _claude_like, "codex": _codex, "gemini": _gemini, "aider": _aider}


def to_event(source: str, payload: dict) -> dict | None:
    """cockpit's event for one hook payload of `source`, or None when it means nothing to cockpit."""
    mapped = SOURCES[source](payload)
    if mapped is None:
        return None
    event = payload.get("hook_event_name") or payload.get("type") or source
    fields = {**mapped, "session": _session(payload)}
    return {"kind": "hook", "source": source, "event": event, **{k: v for k, v in fields.items() if v is not None}}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    source = argv[0] if argv else ""
    try:
        path = os.environ.get("COCKPIT_EVENTS")
        if source in SOURCES and path:
            if len(argv) > 1:
                raw = argv[-1]
            elif source == "aider" or sys.stdin is None or sys.stdin.isatty():
                raw = ""
            else:
                raw = sys.stdin.read()
            payload = json.loads(raw) if raw.strip() else {}
            event = to_event(source, payload if isinstance(payload, dict) else {})
            if event is not None:
                line = json.dumps({"t": time.time(), **event}, ensure_ascii=False) + "\n"
                with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "a", encoding="utf-8") as fh:
                    fh.write(line)
        elif source not in SOURCES:
            print(f"cockpit hook relay: unknown source {source!r}", file=sys.stderr)
    except Exception as exc:  # noqa: BLE001 - reported, never raised: the agent's tool call must go on
        print(f"cockpit hook relay: {exc}", file=sys.stderr)
    if source == "gemini":
        print("{}")  # Gemini CLI parses a hook's stdout as JSON
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
