"""Per-CLI knowledge of usage files: where they are and how one line reads.

A profile names its source (`usage = "claude"` in profiles.toml); generic code looks
sources up in SOURCES and never asks which CLI an agent runs.  A parser turns one
JSONL object into a Spend: the tokens that object adds to its file's total (Claude
Code writes each response's usage once per content block, Codex a running total),
or the cost the CLI itself adds up (Claude Code's `cost-state` lines, 2.1.332).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol

from cockpit.usage.model import Counts


@dataclass(frozen=True)
class Where:
    """What locates an agent's usage files: its worktree, environment and start."""

    worktree: Path  # resolved
    env: Mapping[str, str]  # the agent's environment (HOME, CLAUDE_CONFIG_DIR, CODEX_HOME…)
    since: float  # epoch seconds: files from before the agent existed are not its


@dataclass(frozen=True)
class Spend:
    t: float  # epoch seconds, from the line's own timestamp (or the last one before it)
    model: str
    counts: Counts  # what this line adds to the file's total
    cli_cost: float | None = None  # what it adds to the cost the CLI itself reports, where it does


class Parser(Protocol):
    def feed(self, item: dict) -> Spend | None: ...


class Source(Protocol):
    name: str  # the Usage.source it reports
    needles: tuple[bytes, ...]  # a line its parser uses holds one of these (the others are not parsed)

    def files(self, where: Where) -> list[Path]: ...
    def owns(self, first: dict, where: Where) -> bool: ...  # does the file with this first line belong to the agent
    def parser(self) -> Parser: ...


def _epoch(stamp: object) -> float | None:
    if not isinstance(stamp, str):
        return None
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _int(value: object) -> int:
    return value if isinstance(value, int) and value >= 0 else 0


def _home(env: Mapping[str, str], var: str, default: str) -> Path:
    if env.get(var):
        return Path(env[var])
    return Path(env.get("HOME") or Path.home()) / default


# --- Claude Code: <config>/projects/<cwd, every non-alphanumeric as "-">/<session>.jsonl
class ClaudeParser:
    def __init__(self) -> None:
        self._seen: dict[str, Counts] = {}  # message id -> its usage so far
        self._t: float | None = None  # the last timestamp of a line read: cost-state lines carry none
        self._cli_cost = 0.0  # the session's cost as Claude Code last reported it

    def feed(self, item: dict) -> Spend | None:
        self._t = _epoch(item.get("timestamp")) or self._t
        cost_state = item.get("type") == "cost-state" and not item.get("hasUnknownModelCost")  # a cost left out is no total
        if cost_state and isinstance(item.get("totalCostUSD"), (int, float)) and self._t is not None:
            total = float(item["totalCostUSD"])
            added = total if total < self._cli_cost else total - self._cli_cost  # less: a new process restarted the count
            self._cli_cost = total
            return Spend(self._t, "", Counts(), added) if added else None
        message = item.get("message")
        if item.get("type") != "assistant" or not isinstance(message, dict) or not isinstance(message.get("usage"), dict):
            return None
        u = message["usage"]
        counts = Counts(_int(u.get("input_tokens")), _int(u.get("cache_read_input_tokens")), _int(u.get("cache_creation_input_tokens")), _int(u.get("output_tokens")))
        key = str(message.get("id") or item.get("requestId") or item.get("uuid") or "")
        before = self._seen.get(key, Counts()) if key else Counts()
        if key:
            self._seen[key] = counts
        t = _epoch(item.get("timestamp"))
        if counts == before or t is None:
            return None
        return Spend(t, str(message.get("model") or ""), counts - before)


class ClaudeTranscripts:
    name = "claude-transcript"
    needles = (b'"usage"', b'"cost-state"')

    def files(self, where: Where) -> list[Path]:
        folder = _home(where.env, "CLAUDE_CONFIG_DIR", ".claude") / "projects" / re.sub(r"[^A-Za-z0-9]", "-", str(where.worktree))
        return sorted(folder.glob("*.jsonl"))

    def owns(self, first: dict, where: Where) -> bool:
        return True  # the folder is the worktree's

    def parser(self) -> Parser:
        return ClaudeParser()


# --- Codex: <CODEX_HOME>/sessions/YYYY/MM/DD/rollout-*.jsonl, first line session_meta {cwd}
class CodexParser:
    def __init__(self) -> None:
        self._model = ""
        self._total = Counts()

    def feed(self, item: dict) -> Spend | None:
        payload = item.get("payload")
        if not isinstance(payload, dict):
            return None
        if item.get("type") == "turn_context" and isinstance(payload.get("model"), str):
            self._model = payload["model"]
            return None
        info = payload.get("info")
        if payload.get("type") != "token_count" or not isinstance(info, dict) or not isinstance(info.get("total_token_usage"), dict):
            return None
        u = info["total_token_usage"]
        cached, written = _int(u.get("cached_input_tokens")), _int(u.get("cache_write_input_tokens"))
        total = Counts(max(_int(u.get("input_tokens")) - cached - written, 0), cached, written, _int(u.get("output_tokens")))
        t = _epoch(item.get("timestamp"))
        if total == self._total or t is None:
            return None
        spend, self._total = Spend(t, self._model, total - self._total), total
        return spend


class CodexSessions:
    name = "codex-session"
    needles = (b'"token_count"', b'"turn_context"')

    def files(self, where: Where) -> list[Path]:
        root = _home(where.env, "CODEX_HOME", ".codex") / "sessions"
        first = f"{date.fromtimestamp(where.since) - timedelta(days=1):%Y/%m/%d}"  # folders are named by local date
        found: list[Path] = []
        for day in _folders(root, 3):  # only folders that exist: an agent of any age costs its days, not the calendar's
            if day.relative_to(root).as_posix() >= first:
                found += day.glob("rollout-*.jsonl")
        return sorted(found)

    def owns(self, first: dict, where: Where) -> bool:
        payload = first.get("payload")
        cwd = payload.get("cwd") if isinstance(payload, dict) else None
        return isinstance(cwd, str) and Path(cwd).resolve() == where.worktree

    def parser(self) -> Parser:
        return CodexParser()


def _folders(root: Path, depth: int) -> list[Path]:
    if depth == 0:
        return [root]
    try:
        return [d for child in sorted(root.iterdir()) if child.is_dir() for d in _folders(child, depth - 1)]
    except (FileNotFoundError, NotADirectoryError):
        return []


SOURCES: dict[str, Source] = {"claude": ClaudeTranscripts(), "codex": CodexSessions()}
