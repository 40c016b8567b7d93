"""Ask before an agent edits a file another agent has changed: a Claude Code PreToolUse hook.

Claude Code runs `python -m cockpit.overlap.guard` before each Edit/Write
(JSON on stdin).  When the file lies in an agent's worktree, the layout has
`overlap_guard = true`, the agent has not touched the file yet and another
agent has changed it, the hook answers "ask" with the reason, so the user (or
the agent) decides before a conflict is made.  Otherwise it says nothing and
the edit proceeds.  It reads the file sets the running radar publishes
(`publish=`); without them it lists the other agents' changes itself.
A failure never blocks an edit: exit 1, message on stderr (a non-blocking error).
"""

from __future__ import annotations

import json
import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from cockpit.agents.store import AgentRecord, Store
from cockpit.errors import CockpitError
from cockpit.git import gitutil
from cockpit.overlap.ignore import IgnoreList, ignore_from_settings
from cockpit.paths import RepoPaths

EDIT_TOOLS = ("Edit", "Write", "MultiEdit", "NotebookEdit")
STATE_FILE = "overlap.json"


def state_path(paths: RepoPaths) -> Path:
    """Where the radar publishes its report for this repository (pass as OverlapRadar(publish=...))."""
    return paths.root / STATE_FILE


def hook_settings(python: str | None = None) -> dict:
    """The `.claude/settings.local.json` fragment that installs the guard in a worktree."""
    command = shlex.join([python or sys.executable, "-m", "cockpit.overlap.guard"])
    return {
        "hooks": {
            "PreToolUse": [
                {"matcher": "|".join(EDIT_TOOLS), "hooks": [{"type": "command", "command": command, "timeout": 15}]}
            ]
        }
    }


@dataclass(frozen=True)
class EditWarning:
    agent: str
    path: str  # repo-relative
    others: tuple[str, ...]  # agents that changed it

    def reason(self) -> str:
        who = ", ".join(self.others)
        return (
            f"cockpit: {self.path} is also changed by agent{'s' * (len(self.others) > 1)} {who}. "
            "Editing it here may cause a merge conflict; consider leaving it to them or coordinating first."
        )


def check_edit(file_path: Path, cwd: Path) -> EditWarning | None:
    """The warning for an agent about to edit `file_path`, or None when there is nothing to say."""
    repo = gitutil.find_repo(cwd)
    store = Store(RepoPaths(repo))
    state = store.load_repo()
    settings = state.settings if state else None
    if settings is None or not settings.overlap_guard:
        return None
    agents = store.agents()
    me = _agent_owning(agents, file_path) or _agent_owning(agents, cwd)
    if me is None:
        return None
    rel = file_path.resolve().relative_to(Path(me.worktree).resolve()).as_posix()
    ignore = ignore_from_settings(settings)
    if ignore(rel):
        return None
    files = _published(store.paths)
    if files is None:
        files = {a.name: _changed(a, ignore) for a in agents}
    if rel in files.get(me.name, set()):
        return None  # already this agent's file: it was asked the first time
    others = tuple(sorted(n for n, paths in files.items() if n != me.name and rel in paths))
    if not others:
        return None
    return EditWarning(me.name, rel, others)


def _agent_owning(agents: list[AgentRecord], path: Path) -> AgentRecord | None:
    path = path.resolve()
    for agent in agents:
        if path.is_relative_to(Path(agent.worktree).resolve()):
            return agent
    return None


def _published(paths: RepoPaths) -> dict[str, set[str]] | None:
    """The running radar's file set per agent; None when no live radar published them."""
    try:
        doc = json.loads(state_path(paths).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    if not _alive(doc.get("pid")):
        return None  # left by a radar that has stopped: may be out of date
    return {name: set(files) for name, files in doc.get("files", {}).items()}


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _changed(agent: AgentRecord, ignore: IgnoreList) -> set[str]:
    """Paths an agent changed (committed since its base, uncommitted, untracked), read only."""
    worktree = Path(agent.worktree)
    if not worktree.is_dir():
        return set()
    return set(ignore.filter(gitutil.changed_files(worktree, agent.base)))


def decide(event: dict) -> dict | None:
    """The hook's JSON answer for one PreToolUse event, or None to let the edit go ahead silently."""
    if event.get("tool_name") not in EDIT_TOOLS:
        return None
    tool_input = event.get("tool_input") or {}
    target = tool_input.get("file_path") or tool_input.get("notebook_path")
    if not target:
        return None
    cwd = Path(event.get("cwd") or ".")
    path = Path(target) if Path(target).is_absolute() else cwd / target
    warning = check_edit(path, cwd)
    if warning is None:
        return None
    return {
        "hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": "ask",
            "permissionDecisionReason": warning.reason(),
        }
    }


def main() -> int:
    try:
        event = json.load(sys.stdin)
        answer = decide(event)
    except (CockpitError, ValueError, OSError) as exc:
        print(f"cockpit overlap guard: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 1
    if answer is not None:
        print(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
