"""Agent profiles: how to launch an agent CLI and how to read its screen.

Profiles are data (profiles.toml), so supporting a new agent never means an
`if agent == ...` branch anywhere else.
"""

from __future__ import annotations

import re
import shutil
import sys
import tomllib
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cockpit.errors import CockpitError

CUSTOM = "custom"
GENERIC = "generic"


class ScreenRules(BaseModel):
    """Regular expressions over the visible screen (and pane title) of an agent.

    The rules look only at the last `tail` non-blank lines (0: the whole
    screen), because full-screen agents keep their dialogs and footers at the
    bottom while the transcript above may quote anything.  First match wins,
    in the order question, busy, starting, idle.
    """

    model_config = ConfigDict(extra="forbid")

    busy: list[str] = []
    question: list[str] = []
    idle: list[str] = []
    starting: list[str] = []
    title_busy: list[str] = []
    title_question: list[str] = []
    chrome: list[str] = []  # UI furniture (footers, spinner lines): never content for loop detection
    tail: int = Field(default=0, ge=0)

    @field_validator("busy", "question", "idle", "starting", "title_busy", "title_question", "chrome")
    @classmethod
    def _valid_patterns(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
        return value


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    program: str
    args: list[str] = []
    task: Literal["arg", "typed", "none"] = "arg"
    task_args: list[str] = ["{task}"]
    # Arguments that continue conversation "{session}" instead of starting on the task: they
    # take the task arguments' place, after the program's, the hooks' and the user's arguments
    # (Claude Code: --resume ID; Codex: its `resume ID` subcommand).  Empty: the CLI cannot.
    resume: list[str] = []
    hooks: Literal["claude", "codex", "gemini", "aider", "opencode"] | None = None  # see cockpit/hooks.py
    # Where the CLI writes its token usage (cockpit/usage/sources.py); None: it writes none.
    usage: Literal["claude", "codex"] | None = None
    install_hint: str = ""
    # Share of a core its process tree uses that counts as work: a CLI's own spinner can
    # use more than a silent agent's 5 % (measured: Claude Code ~20 %, Codex ~6 %).
    cpu_busy: float = Field(default=0.05, gt=0, le=8)
    screen: ScreenRules = ScreenRules()

    @field_validator("resume")
    @classmethod
    def _names_session(cls, value: list[str]) -> list[str]:
        if value and not any("{session}" in a for a in value):
            raise ValueError('must contain "{session}"')
        return value

    def resolved_program(self) -> str:
        return sys.executable if self.program == "{python}" else self.program

    def argv(self, task: str, extra_args: list[str] | None = None) -> list[str]:
        """The full command line; the task travels as one argv element, never through a shell."""
        argv = [self.resolved_program(), *self.args, *(extra_args or [])]
        if self.task == "arg" and task:
            argv += [a.replace("{task}", task) for a in self.task_args]
        return argv

    def resume_argv(self, session: str, extra_args: list[str] | None = None) -> list[str] | None:
        """The command line continuing conversation `session`; None when this CLI cannot resume."""
        if not self.resume or not session:
            return None
        return [self.resolved_program(), *self.args, *(extra_args or []), *(a.replace("{session}", session) for a in self.resume)]


@cache
def builtin_profiles() -> dict[str, Profile]:
    text = resources.files("cockpit.agents").joinpath("profiles.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return {name: Profile(name=name, **body) for name, body in data.items()}


def profile_names() -> list[str]:
    """Profiles a user can pick (the generic rule set is not one)."""
    return [n for n in builtin_profiles() if n != GENERIC]


def get_profile(name: str) -> Profile:
    """A built-in profile, or the `custom` profile (generic rules) for command agents."""
    profiles = builtin_profiles()
    if name == CUSTOM:
        return Profile(name=CUSTOM, program="", task="none", screen=profiles[GENERIC].screen)
    if name not in profiles or name == GENERIC:
        raise CockpitError(
            f"unknown profile {name!r}",
            f"use one of: {', '.join(profile_names())}, or give a command",
        )
    return profiles[name]


def generic_rules() -> ScreenRules:
    return builtin_profiles()[GENERIC].screen


def require_program(program: str, hint: str = "") -> str:
    """The absolute path of `program`, or a CockpitError saying how to get it."""
    found = program if program == sys.executable else shutil.which(program)
    if not found:
        raise CockpitError(
            f"{program!r} is not on PATH",
            hint or f"install {program} or fix PATH",
        )
    return found
