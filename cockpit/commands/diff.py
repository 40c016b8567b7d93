"""`cockpit diff NAME`: what an agent changed against its base, committed or not.

The same diff the review screen shows (committed, uncommitted and untracked
work vs the merge base with its base), as a unified diff coloured on a
terminal, a file list with `--stat`, or JSON.  Reads only: no worktree, index
or ref changes.
"""

from __future__ import annotations

import argparse
import json
import sys

from cockpit.cli import add_repo_arg
from cockpit.commands import open_team
from cockpit.review.diff import AgentDiff, FileDiff, FileStatus, Hunk, agent_diff

_COLOURS = {"+": "\x1b[32m", "-": "\x1b[31m", "@": "\x1b[36m", "h": "\x1b[1m"}
_RESET = "\x1b[0m"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "diff",
        help="show an agent's changes against its base (committed, uncommitted and untracked)",
        description="Show what an agent changed since its branch forked from its base: commits, uncommitted "
        "edits and untracked files together (agents' scratch files left out, as in `cockpit overlaps`). "
        "Nothing in the agent's worktree or index changes.",
    )
    add_repo_arg(p)
    p.add_argument("name", metavar="NAME", help="the agent")
    p.add_argument("--stat", action="store_true", help="list the changed files with their added/removed line counts")
    p.add_argument(
        "--json",
        action="store_true",
        help='print {"agent", "base", "files": [{"path", "status", "added", "removed", "hunks": '
        '[{"old_start", "new_start", "lines"}]}]}; added/removed are null for a binary file',
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    diff = agent_diff(open_team(args), args.name)
    if args.json:
        print(json.dumps(diff.to_json(), indent=2))
        return 0
    if not diff.files:
        print(f"cockpit: {diff.agent} has no changes against {diff.base}", file=sys.stderr)
        return 0
    if args.stat:
        print("\n".join(render_stat(diff)))
        return 0
    colour = sys.stdout.isatty()
    print("\n".join(_paint(kind, line) if colour else line for kind, line in render_patch(diff)))
    return 0


def render_stat(diff: AgentDiff) -> list[str]:
    width = max(len(f.path) for f in diff.files)
    lines = []
    for f in diff.files:
        counts = "binary" if f.binary else f"+{f.added} −{f.removed}"
        moved = f"  (from {f.old_path})" if f.old_path else ""
        lines.append(f" {f.status.letter} {f.path:<{width}}  {counts}{moved}")
    n = len(diff.files)
    lines.append(f"{n} file{'s' * (n != 1)} changed against {diff.base}, +{diff.added} −{diff.removed}")
    return lines


def render_patch(diff: AgentDiff) -> list[tuple[str, str]]:
    """(kind, line): kind "h" for a file header line, "@" for a hunk header, else the line's own prefix."""
    lines: list[tuple[str, str]] = []
    for f in diff.files:
        lines.extend(("h", line) for line in _file_header(f))
        for hunk in f.hunks:
            lines.append(("@", hunk_header(hunk)))
            lines.extend((line[:1], line) for line in hunk.lines)
    return lines


def _file_header(f: FileDiff) -> list[str]:
    old = f.old_path or f.path
    lines = [f"diff --git a/{old} b/{f.path}"]
    if f.status in (FileStatus.RENAMED, FileStatus.COPIED):
        verb = "rename" if f.status == FileStatus.RENAMED else "copy"
        lines += [f"{verb} from {old}", f"{verb} to {f.path}"]
    if f.binary:
        return [*lines, f"Binary files {_side('a', old, f, FileStatus.ADDED)} and {_side('b', f.path, f, FileStatus.DELETED)} differ"]
    if f.hunks:
        lines += [f"--- {_side('a', old, f, FileStatus.ADDED)}", f"+++ {_side('b', f.path, f, FileStatus.DELETED)}"]
    return lines


def _side(prefix: str, path: str, f: FileDiff, absent_when: FileStatus) -> str:
    return "/dev/null" if f.status == absent_when else f"{prefix}/{path}"


def hunk_header(hunk: Hunk) -> str:
    """`@@ -old,count +new,count @@ section`, the counts taken from the hunk's lines."""
    old = sum(1 for line in hunk.lines if line[:1] in (" ", "-"))
    new = sum(1 for line in hunk.lines if line[:1] in (" ", "+"))
    section = f" {hunk.section}" if hunk.section else ""
    return f"@@ -{hunk.old_start},{old} +{hunk.new_start},{new} @@{section}"


def _paint(kind: str, line: str) -> str:
    code = _COLOURS.get(kind)
    return f"{code}{line}{_RESET}" if code else line
