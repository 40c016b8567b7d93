"""Which changed paths the overlap radar leaves out: agents' and cockpit's scratch files.

Two agents both writing `.claude/settings.local.json` or `.aider.chat.history.md`
is not overlapping work, so such paths are kept out of file sets and out of the
snapshot commits.  Patterns use gitignore syntax (`*`, `?`, `[..]`, `**`, a
trailing `/` for directories, a `/` inside or in front to anchor at the top,
`!` to take a path back); the last matching pattern wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from cockpit.errors import CockpitError

if TYPE_CHECKING:
    from cockpit.agents.settings import TeamSettings

DEFAULT_IGNORE: tuple[str, ...] = (
    # agents' own state and scratch files
    ".aider*",
    ".claude/",
    "CLAUDE.local.md",
    ".codex/",
    ".gemini/",
    ".opencode/",
    ".goose/",
    ".amp/",
    ".cockpit/",
    # editors and tools that write next to the files they touch
    "*.swp",
    "*.swo",
    "*~",
    ".#*",
    ".DS_Store",
    "__pycache__/",
    "*.pyc",
    ".pytest_cache/",
    "node_modules/",
)


def _translate(glob: str) -> str:
    """gitignore glob → regex body (`*` and `?` stop at `/`, `**` crosses it)."""
    out: list[str] = []
    i, n = 0, len(glob)
    while i < n:
        c = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            end = glob.find("]", i + 2)
            if end == -1:
                out.append(re.escape(c))
                i += 1
                continue
            body = glob[i + 1 : end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end + 1
        elif c == "\\" and i + 1 < n:
            out.append(re.escape(glob[i + 1]))
            i += 2
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


class IgnoreList:
    """A compiled list of gitignore-style patterns over repo-relative POSIX paths."""

    def __init__(self, patterns: Iterable[str] = DEFAULT_IGNORE) -> None:
        self.patterns: list[str] = []
        self._rules: list[tuple[re.Pattern[str], bool]] = []
        for raw in patterns:
            if not isinstance(raw, str):
                raise CockpitError(f"overlap_ignore: {raw!r} is not a string", "write patterns like \".aider*\" or \"build/\"")
            pattern = raw.strip()
            if not pattern or pattern.startswith("#"):
                continue
            self.patterns.append(pattern)
            self._rules.append(self._compile(pattern))

    @staticmethod
    def _compile(pattern: str) -> tuple[re.Pattern[str], bool]:
        negate = pattern.startswith("!")
        body = pattern[1:] if negate else pattern
        dir_only = body.endswith("/")
        body = body.rstrip("/")
        anchored = "/" in body
        body = body.lstrip("/")
        if not body:
            raise CockpitError(f"overlap_ignore: pattern {pattern!r} matches nothing", "remove it or name a file or folder")
        prefix = "" if anchored else "(?:.*/)?"
        tail = "/.+" if dir_only else "(?:/.+)?"
        return re.compile(f"{prefix}{_translate(body)}{tail}", re.DOTALL), negate

    def __call__(self, path: str) -> bool:
        """True when `path` (a file, repo-relative, `/`-separated) is to be left out."""
        ignored = False
        for regex, negate in self._rules:
            if regex.fullmatch(path):
                ignored = not negate
        return ignored

    def filter(self, paths: Iterable[str]) -> list[str]:
        """The paths not ignored, in their order."""
        return [p for p in paths if not self(p)]


def ignore_from_settings(settings: TeamSettings | None) -> IgnoreList:
    """The defaults plus a layout's `overlap_ignore` patterns (kept in the team's settings)."""
    return IgnoreList([*DEFAULT_IGNORE, *(settings.overlap_ignore if settings else [])])
