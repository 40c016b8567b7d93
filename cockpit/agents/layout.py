"""Layout files: a team of agents described in TOML.

Loading follows tmuxp's shape: parse → apply [defaults] to each agent → validate
with pydantic.  Every error names the file and the key, never a traceback.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cockpit.agents import limits, names
from cockpit.agents.profiles import CUSTOM, get_profile
from cockpit.agents.settings import TeamSettings
from cockpit.errors import CockpitError
from cockpit.graphs import find_cycle

DEFAULT_STALL_AFTER = 120.0
_PLAIN = re.compile(r"[A-Za-z0-9_.^~@-]*[A-Za-z0-9_^~@-]")  # keys and names shown unquoted in errors
MAX_DURATION = 7 * 24 * 3600.0
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h)")


def parse_duration(value: Any) -> float:
    """Seconds from `120`, `"120"`, `"120s"`, `"2m"`, `"1h30m"`, `"500ms"`."""
    if isinstance(value, bool):
        raise ValueError("expected a duration like '120s' or '2m'")
    if isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str):
        text = value.strip().lower()
        if re.fullmatch(r"\d+(\.\d+)?", text):
            seconds = float(text)
        else:
            pos, seconds = 0, 0.0
            unit = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
            for m in _DURATION.finditer(text):
                if m.start() != pos and text[pos : m.start()].strip():
                    break
                seconds += float(m.group(1)) * unit[m.group(2)]
                pos = m.end()
            if pos != len(text) or not text:
                raise ValueError(f"{value!r} is not a duration like '120s', '2m' or '1h30m'")
    else:
        raise ValueError("expected a duration like '120s' or '2m'")
    if not math.isfinite(seconds) or seconds > MAX_DURATION:
        raise ValueError("must be at most 7 days ('168h')")
    if seconds <= 0:
        raise ValueError("must be more than zero")
    return seconds


class AgentSpec(BaseModel):
    """One agent as the user describes it (after defaults are applied)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    profile: str | None = None
    command: list[str] | None = None
    args: list[str] = []
    task: str = ""
    env: dict[str, str] = {}
    after: list[str] = []
    base: str | None = Field(default=None, description="fork from this branch or agent instead of the layout's base")

    @field_validator("env", mode="before")
    @classmethod
    def _env_to_str(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: v if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else str(v) for k, v in value.items()}
        return value

    @field_validator("command")
    @classmethod
    def _command_not_empty(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and (not value or not value[0].strip()):
            raise ValueError("must be a non-empty list, program first")
        return value

    @property
    def profile_name(self) -> str:
        return self.profile or CUSTOM


class Layout(TeamSettings):
    """A layout file: the team's settings (TeamSettings' keys, saved for later readers) and its agents."""

    model_config = ConfigDict(extra="forbid")

    session: str | None = None
    base: str | None = None
    stall_after: float = DEFAULT_STALL_AFTER
    merge_test: str | None = None
    defaults: dict[str, Any] = {}
    agents: list[AgentSpec] = []

    @field_validator("session")
    @classmethod
    def _session_name(cls, value: str | None) -> str | None:
        """tmux silently rewrites ':' and '.' in session names, so cockpit could not find its session."""
        if value is not None and (not value.strip() or re.search(r"[:.\s\x00-\x1f]", value)):
            raise ValueError("a tmux session name cannot be empty or contain ':', '.', spaces or control characters")
        return value

    @field_validator("stall_after", "merge_test_timeout", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> float:
        return parse_duration(value)

    @field_validator("overlap_ignore")
    @classmethod
    def _patterns(cls, value: list[str]) -> list[str]:
        from cockpit.overlap.ignore import IgnoreList

        try:
            IgnoreList(value)
        except CockpitError as exc:
            raise ValueError(exc.message.removeprefix("overlap_ignore: ")) from None
        return value


def load_layout(path: Path | str) -> Layout:
    """Read, expand and validate a layout file; CockpitError names file and key on any problem."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(limits.MAX_LAYOUT_BYTES + 1)
    except FileNotFoundError:
        raise CockpitError(f"{path}: no such layout file", "check the path, or see layouts/ for examples") from None
    except OSError as exc:
        raise CockpitError(f"{path}: cannot be read as a layout file ({exc.strerror})", "give a TOML file, see layouts/ for examples") from None
    if len(raw) > limits.MAX_LAYOUT_BYTES:
        raise CockpitError(f"{path}: more than {limits.MAX_LAYOUT_BYTES // (1024 * 1024)} MiB, too big for a layout file")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CockpitError(f"{path}: not UTF-8 text (byte {exc.start})", "save the layout as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise CockpitError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise CockpitError(f"{path}: nested too deeply to read") from None
    return layout_from_dict(data, source=str(path))


def layout_from_dict(data: dict[str, Any], source: str = "<layout>") -> Layout:
    data = dict(data)
    defaults = data.get("defaults", {})
    agents = data.get("agents", [])
    if not isinstance(defaults, dict):
        raise CockpitError(f"{source}: defaults: must be a table ([defaults])")
    if not isinstance(agents, list) or not all(isinstance(a, dict) for a in agents):
        raise CockpitError(f"{source}: agents: must be an array of tables ([[agents]])")
    if "name" in defaults:
        raise CockpitError(f"{source}: defaults.name: every agent needs its own name")
    limits.check_tree(data, lambda path: f"{source}: {_key(path, agents)}")
    limits.check_count(len(agents), f"{source}: agents")
    expanded = []
    for agent in agents:
        merged = {**defaults, **agent}
        if isinstance(defaults.get("env"), dict) and isinstance(agent.get("env"), dict):
            merged["env"] = {**defaults["env"], **agent["env"]}
        expanded.append(merged)
    data["agents"] = expanded
    try:
        AgentSpec.model_validate({"name": "defaults", **defaults})
        layout = Layout.model_validate(data)
    except ValidationError as exc:
        raise CockpitError(_format_errors(source, exc, agents)) from None
    _check_agents(source, layout)
    return layout


def _format_errors(source: str, exc: ValidationError, agents: list[dict]) -> str:
    lines = []
    for err in exc.errors():
        loc = list(err["loc"])
        key = _key(["defaults", *loc], agents) if exc.title == "AgentSpec" else _key(loc, agents)
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        elif err["type"] == "missing":
            msg = "required key is missing"
        lines.append(f"{source}: {key}: {msg}")
    return "\n".join(lines)


def _key(loc: list, agents: list[dict]) -> str:
    """`agents[1] (web).env.FOO` for a location in the layout data; odd keys quoted as in TOML."""
    start = 0
    key = ""
    if loc[:1] == ["agents"] and len(loc) > 1 and isinstance(loc[1], int):
        idx, start = loc[1], 2
        who = agents[idx].get("name") if idx < len(agents) else None
        key = f"agents[{idx}]" + (f" ({who if _PLAIN.fullmatch(who) else json.dumps(who)})" if isinstance(who, str) and len(who) <= 80 else "")
    for part in loc[start:]:
        if isinstance(part, int):
            key += f"[{part}]"
        else:
            shown = part if _PLAIN.fullmatch(part) else json.dumps(part)
            key += f".{shown}" if key else shown
    return key or "(top level)"


def _check_agents(source: str, layout: Layout) -> None:
    seen: dict[str, int] = {}
    for i, agent in enumerate(layout.agents):
        where = f"{source}: agents[{i}] ({agent.name})"
        try:
            clean = names.agent_name(agent.name)
        except CockpitError as exc:
            raise CockpitError(f"{where}.name: {exc.message}", exc.hint) from None
        if clean in seen:
            raise CockpitError(f"{where}.name: same name as agents[{seen[clean]}] ({clean!r})", "give every agent its own name")
        seen[clean] = i
        agent.name = clean
        if agent.profile is None and agent.command is None:
            raise CockpitError(f"{where}: needs \"profile\" or \"command\"")
        if agent.profile is not None:
            try:
                get_profile(agent.profile)
            except CockpitError as exc:
                raise CockpitError(f"{where}.profile: {exc.message}", exc.hint) from None
    for i, agent in enumerate(layout.agents):
        for dep in agent.after:
            if dep not in seen:
                raise CockpitError(f"{source}: agents[{i}] ({agent.name}).after: no agent named {dep!r} in this layout")
    _check_cycles(source, layout)


def _check_cycles(source: str, layout: Layout) -> None:
    cycle = find_cycle({a.name: a.after for a in layout.agents})
    if cycle:
        raise CockpitError(f"{source}: agents.after: dependency cycle {' → '.join(cycle)}")
