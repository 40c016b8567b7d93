"""Property-based fuzzing of what users hand cockpit: layouts, names, task text.

No input may give a traceback: it is accepted, or refused with a CockpitError
naming the file and the key.  Whatever is accepted is a valid git ref
component and path component, and never another agent's identity.

`COCKPIT_FUZZ_EXAMPLES=1000 pytest tests/agents/test_fuzz.py` runs more examples.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import tomllib
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from cockpit.agents import limits, names
from cockpit.agents.layout import Layout, load_layout
from cockpit.commands.fanout import read_tasks
from cockpit.errors import CockpitError

FUZZ = settings(
    max_examples=int(os.environ.get("COCKPIT_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- generating TOML --------------------------------------------------------
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)  # TOML cannot hold lone surrogates
NAMEISH = st.text(alphabet="abcXY01-_.^~:/ \\@{}*?[\x00\t\x7fé", max_size=12) | st.sampled_from(
    ["api", "web", "x^", "~x", "x.lock", "a:b", "a-b", "..", ".", "-x", "x" * 70, "a" * 64, "", "HEAD", "@", "a.b"]
)
SCALAR = TEXT | st.integers(-(2**63), 2**63 - 1) | st.floats() | st.booleans()
VALUE = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4), max_leaves=12)
DURATION = st.sampled_from(["120s", "2m", "1h30m", "500ms", "0", "-1", "1e400", "9" * 400, "nan", "", "5x", "168h", "169h"]) | st.floats() | st.integers()
AGENT_KEYS = {
    "name": NAMEISH,
    "profile": st.sampled_from(["claude", "codex", "sim", "nope"]) | TEXT,
    "command": st.lists(TEXT, max_size=3) | VALUE,
    "args": st.lists(TEXT, max_size=3),
    "task": TEXT | st.sampled_from(["x" * (limits.MAX_TEXT + 1), "a\x00b"]),
    "env": st.dictionaries(TEXT, TEXT | st.integers() | st.booleans(), max_size=3),
    "after": st.lists(NAMEISH, max_size=2),
    "base": NAMEISH,
    "tsak": TEXT,
}
AGENT = st.fixed_dictionaries({}, optional=AGENT_KEYS)
TOP_KEYS = {
    "session": NAMEISH,
    "base": NAMEISH,
    "stall_after": DURATION,
    "merge_test": TEXT,
    "merge_test_timeout": DURATION,
    "overlap_ignore": st.lists(TEXT, max_size=3),
    "overlap_guard": st.booleans() | TEXT,
    "notify": st.dictionaries(st.sampled_from(["bell", "desktop", "tmux", "states", "x"]), VALUE, max_size=3),
    "defaults": st.fixed_dictionaries({}, optional={k: v for k, v in AGENT_KEYS.items() if k != "name"}) | VALUE,
    "agents": st.lists(AGENT, max_size=6) | VALUE,
    "unknown": VALUE,
}
LAYOUT = st.fixed_dictionaries({}, optional=TOP_KEYS)


def toml_string(text: str) -> str:
    escaped = "".join(f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F else "\\" + c if c in '"\\' else c for c in text)
    return f'"{escaped}"'


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_document(data: dict) -> str:
    return "".join(f"{toml_string(k)} = {toml_value(v)}\n" for k, v in data.items())


# --- what must hold -----------------------------------------------------------
@cache
def git_accepts(name: str) -> bool:
    ref = subprocess.run(["git", "check-ref-format", "--branch", names.branch_for(name)], capture_output=True)
    return ref.returncode == 0


def assert_valid_identity(name: str) -> None:
    assert names.is_valid(name) and git_accepts(name), name
    assert "/" not in name and "\x00" not in name and name not in (".", "..") and len(name.encode()) <= 255


def load_or_refuse(path: Path) -> Layout | None:
    """The layout, or None after checking the refusal names the file on every line."""
    try:
        return load_layout(path)
    except CockpitError as exc:
        for line in exc.message.splitlines():
            assert line.startswith(f"{path}: "), exc.message
        return None


def assert_accepted_layout(layout: Layout) -> None:
    seen = [agent.name for agent in layout.agents]
    assert len(set(seen)) == len(seen)  # never two agents with one identity
    for agent in layout.agents:
        assert_valid_identity(agent.name)
        assert set(agent.after) <= set(seen)
        assert "\x00" not in agent.task and len(agent.task.encode()) <= limits.MAX_TEXT
    assert 0 < layout.stall_after <= 7 * 24 * 3600 and 0 < layout.merge_test_timeout <= 7 * 24 * 3600
    assert len(layout.agents) <= limits.MAX_AGENTS


@FUZZ
@given(data=LAYOUT)
@example(data={"agents": [{"name": "x^", "profile": "claude"}, {"name": "x", "profile": "claude"}]})
@example(data={"agents": [{"name": "a" * 64 + "b", "profile": "claude"}, {"name": "a" * 64 + "c", "profile": "claude"}]})
@example(data={"stall_after": float("inf")})
def test_any_layout_is_accepted_valid_or_refused_naming_file_and_key(tmp_path, data):
    path = tmp_path / "team.toml"
    text = toml_document(data)
    tomllib.loads(text)  # the generator writes valid TOML: every refusal below is about content
    path.write_text(text, encoding="utf-8")
    layout = load_or_refuse(path)
    event("accepted" if layout is not None else "refused")
    if layout is not None:
        assert_accepted_layout(layout)
        return
    try:
        load_layout(path)
    except CockpitError as exc:
        keys = tuple(f"{k if re.fullmatch(r'[A-Za-z0-9_.^~@-]*[A-Za-z0-9_^~@-]', k) else json.dumps(k)}" for k in data)
        for line in exc.message.splitlines():
            rest = line.removeprefix(f"{path}: ")
            assert "\n" not in line and rest.startswith((*keys, "(top level)")), line  # names the key


VALID = "session = \"shop\"\nstall_after = \"2m\"\n[defaults]\nprofile = \"claude\"\n[[agents]]\nname = \"api\"\ntask = \"Add pagination\"\n[[agents]]\nname = \"web\"\nafter = [\"api\"]\n"


@FUZZ
@given(
    cut=st.integers(0, len(VALID)),
    junk=st.binary(max_size=12) | st.sampled_from([b"\xff", b"\x00", b"[" * 600, b"\n[[agents]]\n", b'"', b"\\u0000"]),
)
def test_damaged_layout_bytes_never_give_a_traceback(tmp_path, cut, junk):
    path = tmp_path / "team.toml"
    raw = VALID.encode()
    path.write_bytes(raw[:cut] + junk + raw[cut:])
    layout = load_or_refuse(path)
    if layout is not None:
        assert_accepted_layout(layout)


@FUZZ
@given(raw=NAMEISH | TEXT)
@example(raw="x^")
@example(raw="x" * 100)
def test_a_name_is_kept_exactly_or_refused_with_a_valid_suggestion(raw):
    try:
        name = names.agent_name(raw)
    except CockpitError as exc:
        suggestion = names.sanitize(raw)
        assert suggestion != raw or not raw
        if suggestion:
            assert f"use {suggestion!r} instead" in exc.hint
            assert names.agent_name(suggestion) == suggestion
            assert_valid_identity(suggestion)
        return
    assert name == raw  # one name, one identity: never rewritten into another agent's
    assert_valid_identity(name)


@FUZZ
@given(tasks=st.lists(TEXT | st.sampled_from(["Fix the date picker", "Fix the date picker!", "fix THE date picker"]), max_size=8), existing=st.dictionaries(NAMEISH.filter(names.is_valid), TEXT, max_size=4))
def test_task_names_are_valid_stable_and_never_an_other_tasks_agent(tasks, existing):
    picked = names.names_for_tasks(tasks, existing)
    assert picked == names.names_for_tasks(tasks, existing)  # deterministic
    assert [task for _name, task in picked] == list(dict.fromkeys(tasks))
    assert len({name for name, _task in picked}) == len(picked)  # distinct tasks, distinct agents
    for name, task in picked:
        assert_valid_identity(name)
        if name in existing:
            assert existing[name] == task  # an existing agent is reused only for its own task
    again = names.names_for_tasks(tasks, {**existing, **dict(picked)})
    assert again == picked  # a second fanout of the same file finds the same agents


@FUZZ
@given(raw=st.binary(max_size=200) | TEXT.map(lambda t: t.encode("utf-8")))
def test_any_task_file_is_read_or_refused_naming_the_file(tmp_path, raw):
    path = tmp_path / "tasks.txt"
    path.write_bytes(raw)
    try:
        tasks = read_tasks(path)
    except CockpitError as exc:
        assert exc.message.startswith(f"{path}: "), exc.message
        return
    assert tasks and all(t and "\x00" not in t and t == t.strip() for t in tasks)
