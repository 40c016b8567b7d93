"""Which agent branches could land, what each brings, and which pairs conflict.

Read-only: everything here asks git (and the review files) and changes nothing, except
`commit_worktree`, which commits an agent's work when the human asks for it.
The branch tips are captured once, so the order that is rehearsed is exactly
what a later merge lands (a branch that moves afterwards makes the plan stale).
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from cockpit.agents.store import AgentRecord, Store
from cockpit.errors import CockpitError
from cockpit.git import gitutil
from cockpit.git.gitutil import git, out
from cockpit.git.mergetree import merge_many
from cockpit.paths import RepoPaths
from cockpit.review.store import ReviewState, load_review
from cockpit.states import State

READY = "ready"
DIRTY = "dirty"
MERGING = "merging"  # a merge is in progress in its worktree (e.g. sent back to the agent)
EMPTY = "empty"
MISSING = "missing"
# Verdicts (the state the table shows) of agents whose turn is not over, and why the queue waits for them.
# Any other verdict (idle, stalled, exited, lost) means the turn is over: its committed work may land.
WAITING = {
    State.STARTING: "starting: its turn has not begun",
    State.WORKING: "working: its turn is not over",
    State.NEEDS_INPUT: "needs input: answer it first",
    State.LOOPING: "looping: it repeats itself — redirect or stop it first",
}
INCLUDABLE = (*WAITING, DIRTY, MERGING)  # left out by the plan, but the human may ask for them


@dataclass(frozen=True)
class FileStat:
    path: str
    added: int | None  # None for binary files
    deleted: int | None


@dataclass
class Candidate:
    """One agent's branch as seen from the base branch."""

    record: AgentRecord
    tip: str | None
    state: str  # READY, DIRTY, MERGING, EMPTY, MISSING, or the verdict of an agent in WAITING
    included: bool = False  # the human asked to merge it although its turn is not over or it is dirty
    commits: frozenset[str] = frozenset()  # base..tip
    files: list[FileStat] = field(default_factory=list)
    review: ReviewState = ReviewState.UNREVIEWED  # the human's verdict for this tip
    lapsed: bool = False  # a verdict was given for an earlier tip: the branch moved since
    needs_approval: bool = False  # require_approval is set and this tip is not approved

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def branch(self) -> str:
        return self.record.branch

    @property
    def added(self) -> int:
        return sum(f.added or 0 for f in self.files)

    @property
    def deleted(self) -> int:
        return sum(f.deleted or 0 for f in self.files)

    @property
    def size(self) -> int:
        """Lines changed; the suggested order lands smaller changes first."""
        return self.added + self.deleted

    @property
    def paths(self) -> list[str]:
        return [f.path for f in self.files]

    @property
    def eligible(self) -> bool:
        """Can be merged as things stand (ready, or explicitly included; approved where that is required)."""
        return self._mergeable and not self.needs_approval

    @property
    def _mergeable(self) -> bool:
        return self.state == READY or (self.included and self.state in INCLUDABLE)

    @property
    def reason(self) -> str:
        """Why it is left out ("" when eligible)."""
        if self.eligible:
            return ""
        if self._mergeable:  # only the approval is missing
            return self._approval_reason
        return {
            **WAITING,
            DIRTY: f"uncommitted changes — commit them (`cockpit merge commit {self.name} -m …`)",
            MERGING: "a merge is in progress in its worktree: its agent has a conflict to resolve",
            EMPTY: "nothing to merge: its branch has no commits the base lacks",
            MISSING: f"its branch {self.branch} does not exist",
        }[self.state]

    @property
    def short_reason(self) -> str:
        """Why it is left out in a word or two: its state, or "not approved"."""
        return "not approved" if self._mergeable and self.needs_approval else self.state

    @property
    def _approval_reason(self) -> str:
        if self.review == ReviewState.CHANGES_REQUESTED:
            return f"changes requested (require_approval): approve it when they are done (`cockpit review {self.name} --approve`)"
        if self.lapsed:
            return f"not approved at its tip (require_approval): the branch moved since its review — `cockpit review {self.name} --approve`"
        return f"not approved (require_approval): review it, then `cockpit review {self.name} --approve`"


def base_tip(repo: Path, base: str) -> str:
    tip = gitutil.rev(repo, f"refs/heads/{base}")
    if tip is None:
        raise CockpitError(f"base branch {base!r} does not exist in {repo}", "set `base` in the layout to an existing branch")
    return tip


def gather(
    repo: Path,
    base: str,
    records: list[AgentRecord],
    verdicts: Mapping[str, str] | None = None,
    include: set[str] | frozenset[str] = frozenset(),
    require_approval: bool | None = None,
) -> list[Candidate]:
    """Every agent's branch with its commits, files, state and review.

    `verdicts` are the agents' states as the table shows them (see turns.py):
    an agent whose verdict is in WAITING waits for its turn to end; one
    without a verdict is judged by git alone.  `require_approval` (default:
    the repository's setting) leaves out branches not approved at their tip."""
    verdicts = verdicts or {}
    paths = RepoPaths(repo)
    if require_approval is None:
        saved = Store(paths).load_repo()
        require_approval = saved is not None and saved.settings.require_approval
    known = {r.name for r in records}
    unknown = sorted(set(include) - known)
    if unknown:
        raise CockpitError(f"no agent named {', '.join(unknown)}", f"agents: {', '.join(sorted(known)) or 'none'}")
    target = base_tip(repo, base)

    def inspect(record: AgentRecord) -> Candidate:
        tip = gitutil.rev(repo, f"refs/heads/{record.branch}")
        cand = Candidate(record=record, tip=tip, state=MISSING, included=record.name in include)
        if tip is None:
            return cand
        stored = load_review(paths, record.name)
        cand.review = stored.state if stored.tip == tip else ReviewState.UNREVIEWED
        cand.lapsed = stored.state != ReviewState.UNREVIEWED and stored.tip != tip
        cand.needs_approval = require_approval and cand.review != ReviewState.APPROVED
        cand.commits = frozenset(out("rev-list", f"{target}..{tip}", cwd=repo).split())
        if not cand.commits:
            cand.state = EMPTY
            return cand
        cand.files = _numstat(repo, target, tip)
        worktree = Path(record.worktree)
        verdict = verdicts.get(record.name)
        if verdict in WAITING:
            cand.state = verdict
        elif worktree.is_dir() and gitutil.is_dirty(worktree):
            cand.state = MERGING if gitutil.rev(worktree, "MERGE_HEAD") else DIRTY
        else:
            cand.state = READY
        return cand

    # A few git processes per agent, independent of each other: run agents side by side.
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(inspect, records))


def _numstat(repo: Path, base: str, tip: str) -> list[FileStat]:
    """Files the branch changes since it forked from `base` (renames as delete + add)."""
    raw = git("diff", "--numstat", "-z", "--no-renames", f"{base}...{tip}", cwd=repo).stdout
    stats = []
    for item in raw.split("\0"):
        if not item:
            continue
        added, deleted, path = item.split("\t", 2)
        stats.append(FileStat(path, None if added == "-" else int(added), None if deleted == "-" else int(deleted)))
    return stats


def pairwise_conflicts(repo: Path, candidates: list[Candidate]) -> dict[frozenset[str], list[str]]:
    """{pair of agent names: conflicting paths} for every pair that would conflict (one git process)."""
    pairs = list(combinations([c for c in candidates if c.tip], 2))
    results = merge_many(repo, [(a.tip, b.tip) for a, b in pairs])
    return {frozenset((a.name, b.name)): r.conflicts for (a, b), r in zip(pairs, results) if not r.clean}


def commit_worktree(record: AgentRecord, message: str) -> str:
    """Commit everything in an agent's worktree (untracked files too); returns the new commit."""
    worktree = Path(record.worktree)
    if not message.strip():
        raise CockpitError("the commit message is empty", "say what the agent's work does")
    if not worktree.is_dir():
        raise CockpitError(f"{record.name} has no worktree at {worktree}")
    if gitutil.current_branch(worktree) != record.branch:
        raise CockpitError(f"{worktree} is not on {record.branch}", "check the branch out there first")
    if not gitutil.is_dirty(worktree):
        raise CockpitError(f"nothing to commit in {record.name}'s worktree ({worktree})")
    git("add", "-A", cwd=worktree)
    git("commit", "-q", "-m", message, cwd=worktree, env=gitutil.identity_env(worktree))
    return out("rev-parse", "HEAD", cwd=worktree)
