"""What cockpit remembers about a repository and its agents, on disk.

One JSON file per agent (so two commands spawning agents at once never race on
a shared file), written atomically.  tmux and git remain the truth about what
is running and what changed; these files only hold what the user asked for.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from cockpit.paths import RepoPaths


def write_atomic(path: Path, text: str) -> None:
    """Write via temp file + fsync + rename, so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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
    settings: dict[str, Any] = {}


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


class Store:
    """Read/write access to one repository's cockpit files."""

    def __init__(self, paths: RepoPaths) -> None:
        self.paths = paths

    def load_repo(self) -> RepoState | None:
        try:
            return RepoState.model_validate_json(self.paths.repo_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None

    def save_repo(self, state: RepoState) -> None:
        write_atomic(self.paths.repo_file, state.model_dump_json(indent=2))

    def agents(self) -> list[AgentRecord]:
        """Every known agent, oldest first."""
        records = []
        if self.paths.agents_dir.is_dir():
            for file in self.paths.agents_dir.glob("*.json"):
                try:
                    records.append(AgentRecord.model_validate_json(file.read_text(encoding="utf-8")))
                except FileNotFoundError:
                    continue  # removed while we listed
        return sorted(records, key=lambda r: (r.created_at, r.name))

    def agent(self, name: str) -> AgentRecord | None:
        try:
            return AgentRecord.model_validate_json(self.paths.agent_file(name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None

    def save_agent(self, record: AgentRecord) -> None:
        if not record.created_at:
            record.created_at = time.time()
        write_atomic(self.paths.agent_file(record.name), record.model_dump_json(indent=2))

    def forget_agent(self, name: str) -> None:
        self.paths.agent_file(name).unlink(missing_ok=True)


def append_event(path: Path, kind: str, **fields: Any) -> None:
    """Append one JSON line to an agent's event file (a single write, safe with other appenders)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"t": time.time(), "kind": kind, **fields}, ensure_ascii=False) + "\n"
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line)
