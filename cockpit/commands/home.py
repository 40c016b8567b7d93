"""Every repository with agents under COCKPIT_HOME: `cockpit status --all` and the home view's data.

Rows are built exactly as `cockpit status` builds them (a TeamMonitor refreshed
once, then its snapshot), one repository at a time.  A repository that cannot
be read (its folder gone, its state file broken) is listed with the error
instead of breaking the others.

Order, needs-human first, as a supervisor reads it: an agent waiting on you
(needs_input) blocks work now; a looping one burns money now; a stalled one
wastes time; a lost one vanished without an exit status; an exited one is
finished or crashed and wants a look; starting, working and idle agents need
nothing.  Repositories sort by their counts in that order (most agents waiting
first, then most looping, …), then by path; unreadable ones come last, in red
in the TUI, so they never push a waiting agent off the screen.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cockpit.agents.monitor import AgentStatus, TeamMonitor
from cockpit.agents.store import BrokenRecord, RepoState
from cockpit.agents.team import Team
from cockpit.errors import CockpitError
from cockpit.paths import cockpit_home, repo_slug
from cockpit.states import State

NEEDS_HUMAN_ORDER = (
    State.NEEDS_INPUT,
    State.LOOPING,
    State.STALLED,
    State.LOST,
    State.EXITED,
    State.STARTING,
    State.WORKING,
    State.IDLE,
)
RANK = {state: i for i, state in enumerate(NEEDS_HUMAN_ORDER)}


@dataclass(frozen=True)
class RepoSummary:
    """One repository's line in the home view: its agents' rows and their counts per state."""

    repo: str
    session: str | None
    host: str | None = None  # None: this machine
    agents: list[AgentStatus] = field(default_factory=list)
    broken: list[BrokenRecord] = field(default_factory=list)  # agent files that cannot be read
    error: str | None = None  # the repository itself cannot be read

    @property
    def name(self) -> str:
        return Path(self.repo).name

    @property
    def counts(self) -> dict[str, int]:
        """Agents per state, needs-human first; states with no agent are left out."""
        counts: dict[str, int] = {}
        for row in sorted(self.agents, key=lambda r: RANK.get(r.state, len(RANK))):
            counts[str(row.state)] = counts.get(str(row.state), 0) + 1
        return counts

    def sort_key(self) -> tuple:
        counts = self.counts
        return (self.error is not None, *(-counts.get(state, 0) for state in NEEDS_HUMAN_ORDER), self.repo)

    def as_json(self) -> dict[str, Any]:
        """`repo`, `session`, `host`, `counts`, `agents` (the rows of `cockpit status --json`);
        `broken` and `error` only where there is something to report."""
        data: dict[str, Any] = {
            "repo": self.repo,
            "session": self.session,
            "host": self.host,
            "counts": self.counts,
            "agents": [r.model_dump() for r in self.agents],
        }
        if self.broken:
            data["broken"] = [{"name": b.name, "file": str(b.file), "error": b.error} for b in self.broken]
        if self.error is not None:
            data["error"] = self.error
        return data


def repo_folders(home: Path | None = None) -> list[Path]:
    """COCKPIT_HOME/repos/<slug> folders holding at least one agent file."""
    root = (home or cockpit_home()) / "repos"
    if not root.is_dir():
        return []
    return sorted(folder for folder in root.iterdir() if folder.is_dir() and any((folder / "agents").glob("*.json")))


def summarize(folder: Path) -> RepoSummary | None:
    """One repository's rows, as `cockpit status` gives them; None when it has no agents."""
    state_file = folder / "repo.json"
    try:
        state = RepoState.model_validate_json(state_file.read_bytes())
    except FileNotFoundError:
        return RepoSummary(repo=str(folder), session=None, error=f"{state_file} is missing, so the repository of these agents is unknown")
    except (OSError, ValueError) as exc:
        first = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        return RepoSummary(repo=str(folder), session=None, error=f"{state_file} cannot be read ({first}); fix or delete that file")
    repo = Path(state.repo)
    if not repo.is_dir():
        return RepoSummary(repo=state.repo, session=state.session, error=f"the repository folder {repo} is gone (cockpit's files for it: {folder})")
    if repo_slug(repo) != folder.name:
        return RepoSummary(repo=state.repo, session=state.session, error=f"{state_file} names {repo}, whose files are not in {folder}")
    try:
        team = Team(repo)
        monitor = TeamMonitor(team)
        monitor.refresh_all()
        rows = monitor.snapshot()
        broken = team.store.broken()
    except (CockpitError, OSError, ValueError) as exc:
        return RepoSummary(repo=state.repo, session=state.session, error=str(exc))
    if not rows and not broken:
        return None  # its agents were removed while we listed
    return RepoSummary(repo=state.repo, session=team.state.session, agents=rows, broken=broken)


def summaries(home: Path | None = None) -> list[RepoSummary]:
    """Every repository with agents, needs-human first (see the module's docstring)."""
    found = [s for s in (summarize(folder) for folder in repo_folders(home)) if s is not None]
    return sorted(found, key=RepoSummary.sort_key)


def counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {state}" for state, n in counts.items())


def run_all(args) -> int:
    """`cockpit status --all [--json]`."""
    if getattr(args, "repo", None):
        raise CockpitError("--all lists every repository; --repo names one", "drop one of the two")
    found = summaries()
    if args.json:
        print(json.dumps({"repos": [s.as_json() for s in found]}, indent=2))
        return 0
    if not found:
        print(f"No repository under {cockpit_home()} has agents. Start some with `cockpit up LAYOUT` in a repository.")
        return 0
    table = [("REPOSITORY", "SESSION", "AGENTS", "STATES", "PATH")] + [
        (s.name, s.session or "-", str(len(s.agents)), counts_text(s.counts) if s.error is None else "error", s.repo) for s in found
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    for s in found:
        if s.error is not None:
            print(f"! {s.repo}: {s.error}")
        for b in s.broken:
            print(f"! {s.name}/{b.name}: broken: {b.file} cannot be read ({b.error}); fix or delete it")
    return 0
