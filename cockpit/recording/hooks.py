"""Structured signals: make each agent report its own events to cockpit.

`install_hooks(profile, worktree, events_path)` prepares an agent before it
starts, according to its profile's `hooks` key:

- claude: `.claude/settings.local.json` hooks (PreToolUse, Notification, Stop,
  UserPromptSubmit) running `python -m cockpit.recording.hookrelay claude`;
- gemini: `.gemini/settings.json` hooks (BeforeTool, Notification, AfterAgent,
  BeforeAgent), same relay;
- codex: `-c notify=[…]` on its command line (Codex passes the JSON as the last
  argument; it reports finished turns);
- aider: `--notifications --notifications-command …` (aider runs it when it
  waits for input);
- opencode: a plugin `.opencode/plugins/cockpit.js` that appends the events itself.

The events file reaches the agent as $COCKPIT_EVENTS (in `HookSetup.env`); the
relay writes nothing without it and always exits 0, so an agent started
outside cockpit, or after cockpit was removed, works as before.  Files written
into a worktree are listed in the repository's info/exclude so they are never
committed; a file git already tracks is left alone (see `HookSetup.notes`).
"""

from __future__ import annotations

import json
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

from cockpit.agents.profiles import Profile
from cockpit.errors import CockpitError
from cockpit.git.gitutil import git
from cockpit.overlap import guard

RELAY = "cockpit.recording.hookrelay"
EVENTS_ENV = "COCKPIT_EVENTS"
TIMEOUT = 10  # seconds; the relay takes a few dozen milliseconds

CLAUDE_EVENTS = {"PreToolUse": "*", "Notification": "", "Stop": None, "UserPromptSubmit": None}
GEMINI_EVENTS = {"BeforeTool": ".*", "Notification": None, "AfterAgent": None, "BeforeAgent": None}

OPENCODE_PLUGIN = """\
// Written by cockpit: reports this agent's state to cockpit through $COCKPIT_EVENTS.
// It does nothing without that variable and never throws; safe to delete.
import { appendFileSync } from "node:fs";

const file = process.env.COCKPIT_EVENTS;

function emit(signal, fields) {
  if (!file) return;
  try {
    appendFileSync(file, JSON.stringify({ t: Date.now() / 1000, kind: "hook", source: "opencode", signal, ...fields }) + "\\n");
  } catch {}
}

export const CockpitPlugin = async () => ({
  event: async ({ event }) => {
    if (event.type === "session.idle") emit("idle", { event: event.type });
    else if (event.type === "permission.updated" || event.type === "permission.asked")
      emit("needs_input", { event: event.type, message: String(event.properties?.title ?? "permission") });
  },
  "tool.execute.before": async (input, output) => {
    emit("tool", { event: "tool.execute.before", tool: input.tool, input: output.args });
  },
});
"""


@dataclass
class HookSetup:
    """What the caller adds when it starts the agent."""

    env: dict[str, str]  # into the agent's environment
    args: list[str] = field(default_factory=list)  # after the program's own args, before the task
    files: list[Path] = field(default_factory=list)  # written into the worktree (git-excluded)
    notes: list[str] = field(default_factory=list)  # what could not be done, for the user


def relay_argv(source: str, python: str | None = None) -> list[str]:
    return [python or sys.executable, "-m", RELAY, source]


def relay_command(source: str, python: str | None = None) -> str:
    """The relay as a shell command that cannot fail (hooks run through a shell)."""
    return shlex.join(relay_argv(source, python)) + " || true"


def install_hooks(profile: Profile, worktree: Path, events_path: Path, python: str | None = None, overlap_guard: bool = False) -> HookSetup:
    """Prepare `worktree` so the agent of `profile` appends its events to `events_path`.

    `overlap_guard` (the layout's key): Claude Code also asks before editing a
    file another agent changed (cockpit.overlap.guard); without it the guard's
    hook is taken out again.
    """
    worktree = Path(worktree)
    setup = HookSetup(env={EVENTS_ENV: str(Path(events_path).resolve())})
    kind = profile.hooks
    if kind is None:
        return setup
    if kind == "claude":
        ours = _claude_hooks(relay_command("claude", python))
        if overlap_guard:
            ours["PreToolUse"] += guard.hook_settings(python)["hooks"]["PreToolUse"]
        _json_hooks(setup, worktree, Path(".claude/settings.local.json"), ours)
    elif kind == "gemini":
        _json_hooks(setup, worktree, Path(".gemini/settings.json"), _gemini_hooks(relay_command("gemini", python)))
    elif kind == "codex":
        setup.args += ["-c", "notify=" + json.dumps(relay_argv("codex", python))]
    elif kind == "aider":
        setup.args += ["--notifications", "--notifications-command", shlex.join(relay_argv("aider", python))]
    elif kind == "opencode":
        _write(setup, worktree, Path(".opencode/plugins/cockpit.js"), OPENCODE_PLUGIN)
    return setup


def _claude_hooks(command: str) -> dict:
    handler = {"type": "command", "command": command, "timeout": TIMEOUT}
    return {
        event: [{**({"matcher": matcher} if matcher is not None else {}), "hooks": [handler]}]
        for event, matcher in CLAUDE_EVENTS.items()
    }


def _gemini_hooks(command: str) -> dict:
    handler = {"type": "command", "command": command, "name": "cockpit", "timeout": TIMEOUT * 1000}
    return {
        event: [{**({"matcher": matcher} if matcher is not None else {}), "hooks": [handler]}]
        for event, matcher in GEMINI_EVENTS.items()
    }


def _is_ours(group: object) -> bool:
    commands = [str(h.get("command", "")) for h in group.get("hooks", []) if isinstance(h, dict)] if isinstance(group, dict) else []
    return any(module in command for command in commands for module in (RELAY, guard.__name__))


def _json_hooks(setup: HookSetup, worktree: Path, rel: Path, ours: dict) -> None:
    """Merge our hooks into a JSON settings file, keeping everything else the user has there."""
    path = worktree / rel
    data: dict = {}
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8") or "{}")
        except ValueError as exc:
            raise CockpitError(f"{path}: not valid JSON ({exc})", "fix or remove the file, then start the agent again") from None
        if not isinstance(data, dict):
            raise CockpitError(f"{path}: expected a JSON object", "fix or remove the file, then start the agent again")
    hooks = data.get("hooks") if isinstance(data.get("hooks"), dict) else {}
    for event, groups in ours.items():
        kept = [g for g in hooks.get(event, []) if not _is_ours(g)] if isinstance(hooks.get(event), list) else []
        hooks[event] = kept + groups
    data["hooks"] = hooks
    _write(setup, worktree, rel, json.dumps(data, indent=2) + "\n")


def _write(setup: HookSetup, worktree: Path, rel: Path, text: str) -> None:
    if _tracked(worktree, rel):
        setup.notes.append(f"{rel} is tracked by git; cockpit left it alone, so this agent reports no hook events")
        return
    path = worktree / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    setup.files.append(path)
    note = _exclude(worktree, rel)
    if note:
        setup.notes.append(note)


def _tracked(worktree: Path, rel: Path) -> bool:
    proc = git("ls-files", "--error-unmatch", "--", rel.as_posix(), cwd=worktree, check=False)
    return proc.returncode == 0


def _exclude(worktree: Path, rel: Path) -> str | None:
    """List `rel` in the repository's info/exclude (shared by all its worktrees)."""
    proc = git("rev-parse", "--git-path", "info/exclude", cwd=worktree, check=False)
    if proc.returncode != 0:
        return f"{worktree} is not a git worktree; {rel} may show up as an untracked file"
    exclude = Path(proc.stdout.strip())
    if not exclude.is_absolute():
        exclude = worktree / exclude
    pattern = "/" + rel.as_posix()
    text = exclude.read_text(encoding="utf-8") if exclude.exists() else ""
    if pattern not in text.splitlines():
        exclude.parent.mkdir(parents=True, exist_ok=True)
        with open(exclude, "a", encoding="utf-8") as fh:
            fh.write(("\n" if text and not text.endswith("\n") else "") + pattern + "\n")
    return None
