"""Agent names: they become tmux window names, branch names and file names.

One rule maps a name to an agent's identity: the name itself, exactly.  A name
the user gives is accepted only when it is already valid (so `x^`, `~x` and
`x.lock` can never turn into an existing agent `x`); otherwise it is refused
with a valid suggestion.  Names cockpit makes up (fanout) are valid by
construction and never collide: the same task text maps to the same agent,
different texts to different names.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping

from cockpit.errors import CockpitError

BRANCH_PREFIX = "cockpit/"
MAX_NAME = 64
_VALID = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_-])?")
_BAD = re.compile(r"[^A-Za-z0-9._-]+")
_ALLOWED = f"letters, digits, '-', '_' and '.' (not first or last), at most {MAX_NAME} characters"


def is_valid(name: str) -> bool:
    """True when `name` is usable unchanged as ref component, file name and window name."""
    return (
        len(name) <= MAX_NAME
        and _VALID.fullmatch(name) is not None
        and ".." not in name
        and not name.endswith(".lock")
    )


def sanitize(raw: str) -> str:
    """A valid name that looks like `raw` (a suggestion; "" when nothing usable is left)."""
    name = _BAD.sub("-", raw.strip())
    name = re.sub(r"\.{2,}", ".", name)
    name = re.sub(r"-{2,}", "-", name)
    name = name[:MAX_NAME].strip("-.")
    while name.endswith(".lock"):
        name = name[: -len(".lock")].rstrip("-.")
    return name if is_valid(name) else ""


def agent_name(raw: str) -> str:
    """`raw` itself when it is a valid name; else CockpitError suggesting one."""
    if is_valid(raw):
        return raw
    if len(raw) > MAX_NAME:
        problem = f"is {len(raw)} characters long"
    else:
        problem = "is not a valid agent name"
    shown = raw if len(raw) <= 80 else raw[:77] + "..."
    suggestion = sanitize(raw)
    hint = f"use {suggestion!r} instead" if suggestion else "pick another name"
    raise CockpitError(f"agent name {shown!r} {problem}", f"{hint} ({_ALLOWED})")


def branch_for(name: str) -> str:
    return BRANCH_PREFIX + name


def name_from_task(text: str, max_words: int = 5, max_len: int = 32) -> str:
    """A short readable name from a task line: 'Fix the date picker!' -> 'fix-the-date-picker'."""
    words = re.findall(r"[A-Za-z0-9]+", text.lower())
    picked: list[str] = []
    for word in words:
        if len(picked) == max_words or len("-".join([*picked, word])) > max_len:
            break
        picked.append(word[:max_len])
    return sanitize("-".join(picked)) or "task"


def names_for_tasks(tasks: Iterable[str], existing: Mapping[str, str]) -> list[tuple[str, str]]:
    """(name, task) for each distinct task; `existing` maps agent names to their tasks.

    A task some agent already has keeps that agent's name (so a second fanout of
    the same file finds its agents running); a new task whose readable name is
    taken gets that name plus a short hash of its text, the same every time.
    """
    by_task = {task: name for name, task in existing.items()}
    taken = set(existing)
    result: list[tuple[str, str]] = []
    for task in dict.fromkeys(tasks):
        name = by_task.get(task)
        if name is None:
            name = _fresh_name(task, taken)
            by_task[task] = name
        taken.add(name)
        result.append((name, task))
    return result


def _fresh_name(task: str, taken: set[str]) -> str:
    name = name_from_task(task)
    salt = 0
    while name in taken:
        digest = hashlib.sha1(f"{salt}\0{task}".encode()).hexdigest()[:6]
        name = f"{name_from_task(task)}-{digest}"
        salt += 1
    return name
