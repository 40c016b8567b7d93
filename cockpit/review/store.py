"""Review state per agent: the comments queued for it and the human's verdict on its branch.

A verdict (approved, changes requested) is for one tip: the branch's commit when
it was given.  Uncommitted work does not count: the merge queue lands commits
only, and committing that work moves the tip, which lapses the verdict, so an
approval always covers exactly what a merge would land.  summary() compares the
stored tip with the branch's current one, read from the ref files (no git
process: it runs for every agent on every status refresh).

One JSON file per agent under the repository's private state dir, written
atomically; comments stay after they are sent (their sent_at set).
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from cockpit.agents.store import write_atomic
from cockpit.errors import CockpitError
from cockpit.git import gitutil
from cockpit.paths import RepoPaths, open_private
from cockpit.review.comments import deliver, message

if TYPE_CHECKING:
    from cockpit.agents.team import Team


class ReviewState(StrEnum):
    UNREVIEWED = "unreviewed"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"


class Comment(BaseModel):
    """One remark for the agent; `path` "" and `line` None for a general one."""

    path: str
    line: int | None
    text: str
    created_at: float
    sent_at: float | None = None

    @property
    def where(self) -> str:
        """`path:line`, `path`, or "" for a general comment."""
        if not self.path:
            return ""
        return f"{self.path}:{self.line}" if self.line is not None else self.path


class ReviewSummary(BaseModel):
    """What `status --json` shows as "review": the verdict for the current tip and the comments not yet sent."""

    state: ReviewState
    tip: str | None  # the branch's commit now (None: no such branch)
    comments: int  # queued, not yet sent to the agent


class ReviewFile(BaseModel):
    """What is kept on disk for one agent."""

    model_config = ConfigDict(extra="ignore")

    state: ReviewState = ReviewState.UNREVIEWED
    tip: str | None = None  # the tip the verdict is for
    decided_at: float | None = None
    comments: list[Comment] = []


def review_file(paths: RepoPaths, name: str) -> Path:
    return paths.root / "reviews" / f"{name}.json"


def load_review(paths: RepoPaths, name: str) -> ReviewFile:
    """What is stored for agent `name` (nothing yet: unreviewed, no comments)."""
    file = review_file(paths, name)
    try:
        return ReviewFile.model_validate_json(file.read_bytes())
    except FileNotFoundError:
        return ReviewFile()
    except (OSError, ValueError) as exc:
        raise CockpitError(f"agent {name}: {file} cannot be read ({exc})", "fix or delete that file (it only holds review comments)") from None


class Reviews:
    """Review state of a team's agents."""

    def __init__(self, team: Team) -> None:
        self.team = team
        self._git_dir = Path(team.repo) / ".git"  # find_repo guarantees a normal repository
        self._branches: dict[str, str] = {}

    # --- reading ------------------------------------------------------------
    def summary(self, name: str) -> ReviewSummary:
        """The verdict for the branch's current tip: `unreviewed` once the branch moved since it was given."""
        review = self._load(name)
        tip = self.tip(name)
        state = review.state if review.tip is not None and review.tip == tip else ReviewState.UNREVIEWED
        return ReviewSummary(state=state, tip=tip, comments=sum(1 for c in review.comments if c.sent_at is None))

    def comments(self, name: str) -> list[Comment]:
        """Every comment for the agent, oldest first, sent ones included."""
        return self._load(name).comments

    def tip(self, name: str) -> str | None:
        """The agent's branch commit, read from the ref files (git only for a reftable repository)."""
        branch = self._branches.get(name)
        if branch is None:
            branch = self._branches[name] = self.team.agent(name).branch
        return read_ref(self._git_dir, f"refs/heads/{branch}")

    # --- changing -----------------------------------------------------------
    def add_comment(self, name: str, path: str, line: int | None, text: str) -> Comment:
        comment = _comment(path, line, text)
        with self._editing(name) as review:
            review.comments.append(comment)
        return comment

    def approve(self, name: str) -> ReviewSummary:
        """Approve the branch as it is now; lapses when it moves."""
        return self._decide(name, ReviewState.APPROVED)

    def request_changes(self, name: str, text: str) -> ReviewSummary:
        """Mark the current tip as needing changes and queue `text` for the agent (sent by send())."""
        return self._decide(name, ReviewState.CHANGES_REQUESTED, _comment("", None, text))

    def _decide(self, name: str, state: ReviewState, comment: Comment | None = None) -> ReviewSummary:
        """The verdict (and its comment) for the current tip, written together: nothing is kept when there is no branch."""
        tip = self.tip(name)
        if tip is None:
            raise CockpitError(f"agent {name}: its branch {self._branches[name]} does not exist", "nothing to review")
        with self._editing(name) as review:
            review.state, review.tip, review.decided_at = state, tip, time.time()
            review.comments += [comment] if comment else []
        return self.summary(name)

    def send(self, name: str) -> str:
        """Type every unsent comment into the agent as one message; returns the message."""
        pending = [c for c in self.comments(name) if c.sent_at is None]
        if not pending:
            raise CockpitError(f"agent {name}: no comments waiting to be sent", f"add some with `cockpit review {name} --comment PATH:LINE TEXT`")
        text = message(self.team.agent(name).branch, pending)
        deliver(self.team, name, text)
        now = time.time()
        with self._editing(name) as review:
            for comment in review.comments:
                if comment in pending:  # not one added while this was typed
                    comment.sent_at = now
        return text

    # --- files --------------------------------------------------------------
    def _file(self, name: str) -> Path:
        self.team.agent(name)  # a clear error for an unknown agent, and never a path from a bad name
        return review_file(self.team.paths, name)

    def _load(self, name: str) -> ReviewFile:
        self._file(name)
        return load_review(self.team.paths, name)

    @contextmanager
    def _editing(self, name: str) -> Iterator[ReviewFile]:
        """Read, change and write one agent's file under a lock, so the TUI and a command never lose each other's comment."""
        file = self._file(name)
        with open_private(file.with_suffix(".lock"), "a") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            review = self._load(name)
            yield review
            write_atomic(file, review.model_dump_json(indent=2))


def _comment(path: str, line: int | None, text: str) -> Comment:
    if not text.strip():
        raise CockpitError("the comment is empty", "say what the agent should change")
    if line is not None and line < 1:
        raise CockpitError(f"line {line} of {path}: lines count from 1")
    return Comment(path=path, line=line, text=text, created_at=time.time())


def read_ref(git_dir: Path, ref: str) -> str | None:
    """A ref's commit from its loose file or packed-refs; None when it does not exist."""
    if (git_dir / "reftable").is_dir():
        return gitutil.rev(git_dir.parent, ref)
    try:
        text = (git_dir / ref).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        text = ""
    if text.startswith("ref:"):
        return read_ref(git_dir, text[4:].strip())
    if text:
        return text
    try:
        packed = (git_dir / "packed-refs").read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    for line in packed.splitlines():
        sha, _, name = line.partition(" ")
        if name == ref:
            return sha
    return None
