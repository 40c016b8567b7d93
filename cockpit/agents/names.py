"""Agent names: they become tmux window names, branch names and file names.

A name is sanitised once, here, so every other module can use it in a ref or a
path without further checks.
"""

from __future__ import annotations

import re

from cockpit.errors import CockpitError

BRANCH_PREFIX = "cockpit/"
MAX_NAME = 48
_BAD = re.compile(r"[^A-Za-z0-9._-]+")


def sanitize(raw: str) -> str:
    """Turn any text into a name valid as a git ref component, file and window name."""
    name = _BAD.sub("-", raw.strip())
    name = re.sub(r"\.{2,}", ".", name)
    name = re.sub(r"-{2,}", "-", name)
    name = name[:MAX_NAME]
    name = name.strip("-._")
    while name.endswith(".lock"):
        name = name[: -len(".lock")].rstrip("-._")
    return name


def agent_name(raw: str) -> str:
    """Sanitise a user-given agent name, refusing one that leaves nothing usable."""
    name = sanitize(raw)
    if not name:
        raise CockpitError(
            f"agent name {raw!r} has no usable characters",
            "use letters, digits, '-', '_' or '.'",
        )
    return name


def branch_for(name: str) -> str:
    return BRANCH_PREFIX + name


def name_from_task(text: str, max_words: int = 5, max_len: int = 32) -> str:
    """A short readable name from a task line: 'Fix the date picker!' -> 'fix-the-date-picker'."""
    words = re.findall(r"[A-Za-z0-9]+", text.lower())
    picked: list[str] = []
    for word in words:
        if len(picked) == max_words or len("-".join([*picked, word])) > max_len:
            break
        picked.append(word)
    return sanitize("-".join(picked)) or "task"


def unique(name: str, taken: set[str]) -> str:
    """`name`, or `name-2`, `name-3`… whichever is not taken yet."""
    if name not in taken:
        return name
    n = 2
    while f"{name}-{n}" in taken:
        n += 1
    return f"{name}-{n}"
