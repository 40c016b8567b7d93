"""What cockpit remembers about a repository and its agents, on disk.

One JSON file per agent (so two commands spawning agents at once never race on
a shared file), written atomically.  tmux and git remain the truth about what
is running and what changed; these files only hold what the user asked for.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cockpit.agents import names
from cockpit.agents.settings import TeamSettings
from cockpit.errors import CockpitError
from cockpit.paths import RepoPaths, open_private, private_dir

LOG_SENT_ENV = "COCKPIT_LOG_SENT"  # "1": events.jsonl keeps the text sent to agents and their full argv


def write_atomic(path: Path, text: str) -> None:
    """Write via temp file + fsync + rename, so a crash never leaves half a file."""
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class RepoState(BaseModel):
    """Settings for a repository's team (from its layout, or defaults)."""

    model_config = ConfigDict(extra="ignore")

    repo: str
    session: str
    base: str
    stall_after: float = 120.0
    merge_test: str | None = None
    layout: str | None = None
    settings: TeamSettings = Field(default_factory=TeamSettings)

    @field_validator("stall_after")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value) or value <= 0:
            raise ValueError("must be a positive number of seconds")
        return value


class AgentRecord(BaseModel):
    """One agent: what to run, where, and on which branch."""

    model_config = ConfigDict(extra="ignore")

    name: str
    profile: str
    argv: list[str]  # what runs, before the structured-event hooks add their arguments
    args: list[str] = []  # the user's extra arguments for a profile's program
    task: str = ""
    task_mode: str = "arg"
    env: dict[str, str] = {}
    branch: str
    base: str
    worktree: str
    after: list[str] = []
    created_at: float = 0.0
    session_id: str = ""  # the CLI's conversation, as its hooks last reported it: what a restart resumes


@dataclass(frozen=True)
class BrokenRecord:
    """An agent file that cannot be read: reported, never fatal for the rest of the team."""

    name: str
    file: Path
    error: str


def _first_error(exc: ValueError) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        return f"{where}: {err['msg']}" if where else err["msg"]
    return str(exc)


class Store:
    """Read/write access to one repository's cockpit files."""

    def __init__(self, paths: RepoPaths) -> None:
        self.paths = paths

    def load_repo(self) -> RepoState | None:
        file = self.paths.repo_file
        try:
            return RepoState.model_validate_json(file.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise CockpitError(
                f"{file}: cannot be read ({_first_error(exc)})",
                "fix or delete that file; `cockpit up LAYOUT` or `cockpit spawn` writes it again",
            ) from None

    def save_repo(self, state: RepoState) -> None:
        write_atomic(self.paths.repo_file, state.model_dump_json(indent=2))

    def agents(self) -> list[AgentRecord]:
        """Every readable agent, oldest first (see `broken` for the others)."""
        return self._scan()[0]

    def broken(self) -> list[BrokenRecord]:
        """Agent files that exist but cannot be read (truncated, edited by hand)."""
        return self._scan()[1]

    def _scan(self) -> tuple[list[AgentRecord], list[BrokenRecord]]:
        records, broken = [], []
        if self.paths.agents_dir.is_dir():
            for file in self.paths.agents_dir.glob("*.json"):
                try:
                    records.append(self._read(file))
                except FileNotFoundError:
                    continue  # removed while we listed
                except (OSError, ValueError) as exc:
                    broken.append(BrokenRecord(file.stem, file, _first_error(exc)))
        return sorted(records, key=lambda r: (r.created_at, r.name)), sorted(broken, key=lambda b: b.name)

    @staticmethod
    def _read(file: Path) -> AgentRecord:
        record = AgentRecord.model_validate_json(file.read_bytes())
        if record.name != file.stem:
            raise ValueError(f"name: {record.name!r} does not match the file name")
        return record

    def agent(self, name: str) -> AgentRecord | None:
        """The agent called exactly `name`; None when there is none (or the name is not valid)."""
        if not names.is_valid(name):
            return None
        file = self.paths.agent_file(name)
        try:
            return self._read(file)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise CockpitError(
                f"agent {name}: {file} cannot be read ({_first_error(exc)})",
                f"fix or delete that file (the worktree and branch {names.branch_for(name)} are untouched)",
            ) from None

    def save_agent(self, record: AgentRecord) -> None:
        if not record.created_at:
            record.created_at = time.time()
        write_atomic(self.paths.agent_file(record.name), record.model_dump_json(indent=2))

    def forget_agent(self, name: str) -> None:
        self.paths.agent_file(name).unlink(missing_ok=True)


def append_event(path: Path, kind: str, **fields: Any) -> None:
    """Append one JSON line to an agent's event file (a single write, safe with other appenders)."""
    line = json.dumps({"t": time.time(), "kind": kind, **fields}, ensure_ascii=False) + "\n"
    with open_private(path, "a") as fh:
        fh.write(line)


def latest_session(path: Path, source: str) -> str:
    """The newest session id hooks of `source` reported in an agent's events; "" when none did."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return ""
    for line in reversed(lines):
        if '"session"' not in line:
            continue
        try:
            event = json.loads(line)
        except ValueError:
            continue  # a line cut short by a crash
        if isinstance(event, dict) and event.get("kind") == "hook" and event.get("source") == source and isinstance(event.get("session"), str):
            return event["session"]
    return ""


def sent_fields(text: str) -> dict[str, Any]:
    """What a `send` event records: the length only, the text itself on request (it may hold secrets)."""
    if os.environ.get(LOG_SENT_ENV) == "1":
        return {"length": len(text), "text": text}
    return {"length": len(text)}


def start_fields(argv: list[str]) -> dict[str, Any]:
    """What a `start` event records: the program, not its arguments (they carry the task), unless asked."""
    if os.environ.get(LOG_SENT_ENV) == "1":
        return {"program": argv[0], "argv": argv}
    return {"program": argv[0], "argc": len(argv)}
