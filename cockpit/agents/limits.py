"""Limits on what users hand cockpit: sizes, nesting, NUL bytes, team size.

Each limit is checked where the input arrives (a layout file, a task list, a
command-line argument) so the error names the file and the key, instead of a
traceback from deep inside tmux, git or the kernel ("Argument list too long",
"embedded null byte") after half a team was created.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cockpit.errors import CockpitError

MAX_AGENTS = 200
MAX_TEXT = 64 * 1024  # bytes in one task, command argument or environment value
MAX_DEPTH = 16  # tables and arrays inside each other in a layout
MAX_LAYOUT_BYTES = 16 * 1024 * 1024


def check_text(text: str, where: str, what: str = "text") -> str:
    """`text` itself, or CockpitError naming `where` when it has a NUL byte or is too long."""
    if "\x00" in text:
        raise CockpitError(f"{where}: {what} contains a NUL byte", "remove it: programs cannot receive it")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_TEXT:
        raise CockpitError(
            f"{where}: {what} is {size // 1024} KiB, at most {MAX_TEXT // 1024} KiB",
            "put long instructions in a file in the repository and point the agent at it",
        )
    return text


def check_count(count: int, where: str) -> None:
    if count > MAX_AGENTS:
        raise CockpitError(f"{where}: {count} agents, at most {MAX_AGENTS} in one team", "split it into several layouts or task lists")


def check_tree(data: Any, where: Callable[[list[str | int]], str]) -> None:
    """Every string (and key) in parsed layout data within limits, nesting no deeper than
    MAX_DEPTH; `where(path)` names the key for the error."""
    stack: list[tuple[Any, list[str | int]]] = [(data, [])]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_DEPTH:
            raise CockpitError(f"{where(path[:MAX_DEPTH])}: nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, str):
            check_text(value, where(path), "value")
        elif isinstance(value, dict):
            for key, item in value.items():
                check_text(key, where(path), "a key")
                stack.append((item, [*path, key]))
        elif isinstance(value, list):
            stack.extend((item, [*path, i]) for i, item in enumerate(value))
