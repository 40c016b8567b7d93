"""Merge an order for real, in a throwaway integration worktree, then fast-forward the base.

Nothing the user has checked out is touched until every step that will land
has merged (and passed the test command): the base branch then moves once, by
fast-forward, to the last good step (or not at all with all_or_nothing).  Where
the base is checked out, its worktree must be clean before anything starts and
is advanced with `git merge --ff-only`, which updates its files; elsewhere the
branch moves with `git update-ref NEW OLD`, so a concurrent move fails instead
of being overwritten.  A conflicting step is aborted and the integration
worktree removed, so no MERGE_HEAD or conflict marker is ever left behind.
"""

from __future__ import annotations

import fcntl
import os
import shlex
import shutil
import signal
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cockpit.agents.settings import DEFAULT_MERGE_TEST_TIMEOUT
from cockpit.errors import CockpitError
from cockpit.git import gitutil
from cockpit.git.gitutil import git, out
from cockpit.git.worktrees import registered_worktrees
from cockpit.mergeq.candidates import Candidate
from cockpit.mergeq.plan import Plan
from cockpit.paths import RepoPaths, open_private, private_dir
from cockpit.timefmt import duration

MERGED = "merged"
CONFLICT = "conflict"
TEST_FAILED = "test_failed"
NOT_REACHED = "not_reached"
OUTPUT_TAIL_LINES = 40
KILLED_OUTPUT_WAIT = 5.0


@dataclass
class StepOutcome:
    agent: str
    branch: str
    status: str = NOT_REACHED  # MERGED, CONFLICT, TEST_FAILED or NOT_REACHED
    conflicts: list[str] = field(default_factory=list)
    test_output: str = ""  # the tail of the test command's output (when one ran)
    test_timeout: float | None = None  # set when the test was killed for running longer than this
    commit: str | None = None  # the merge commit (integration history)
    tree: str | None = None

    def to_json(self) -> dict:
        return {
            "agent": self.agent,
            "branch": self.branch,
            "status": self.status,
            "conflicts": self.conflicts,
            "test_output": self.test_output,
            "test_timed_out": self.test_timeout is not None,
        }


@dataclass
class Progress:
    """Reported to the caller as the merge goes: phase is one of
    "merging", "merged", "conflict", "testing", "test_failed", "advancing"."""

    step: int  # 0-based, -1 for "advancing"
    agent: str
    phase: str
    detail: str = ""


@dataclass
class MergeReport:
    base: str
    base_before: str
    base_after: str
    steps: list[StepOutcome]
    all_or_nothing: bool
    advanced_in: Path | None = None  # the worktree fast-forwarded (None: moved by update-ref, or not moved)

    @property
    def stopped_at(self) -> int | None:
        return next((i for i, s in enumerate(self.steps) if s.status in (CONFLICT, TEST_FAILED)), None)

    @property
    def complete(self) -> bool:
        return all(s.status == MERGED for s in self.steps)

    @property
    def landed(self) -> list[str]:
        """Agents whose branch is now in the base."""
        if self.base_after == self.base_before:
            return []
        return [s.agent for s in self.steps if s.status == MERGED]

    @property
    def reason(self) -> str:
        """Why it stopped ("" when complete)."""
        i = self.stopped_at
        if i is None:
            return ""
        step = self.steps[i]
        if step.status == CONFLICT:
            why = f"{step.agent} conflicts in {', '.join(step.conflicts)}"
        elif step.test_timeout is not None:
            why = f"the test ran longer than {duration(step.test_timeout)} after merging {step.agent} and was killed"
        else:
            why = f"the test failed after merging {step.agent}"
        if self.landed:
            kept = f"{self.base} now has the first {len(self.landed)} step(s) ({', '.join(self.landed)})"
        else:
            kept = f"{self.base} was not moved"
        return f"stopped at step {i + 1}: {why}; {kept}"

    def to_json(self) -> dict:
        i = self.stopped_at
        return {
            "base": self.base,
            "base_before": self.base_before,
            "base_after": self.base_after,
            "merged": self.landed,
            "complete": self.complete,
            "stopped": None if i is None else {"step": i + 1, "agent": self.steps[i].agent, "reason": self.reason},
            "steps": [s.to_json() for s in self.steps],
        }


def test_argv(command: str | None) -> list[str] | None:
    """The test command as argv (never run through a shell); CockpitError when it cannot be split."""
    if command is None or not command.strip():
        return None
    try:
        return shlex.split(command)
    except ValueError as exc:
        raise CockpitError(f"test command {command!r}: {exc}", "quote it as you would in a shell") from None


def run_merge(
    plan: Plan,
    order: list[str],
    test: str | None = None,
    all_or_nothing: bool = False,
    progress: Callable[[Progress], None] | None = None,
    test_timeout: float = DEFAULT_MERGE_TEST_TIMEOUT,
) -> MergeReport:
    """Merge `order` onto the base; CockpitError (nothing moved) for bad input or a dirty base worktree."""
    repo = plan.repo
    steps = plan.check_order(order)
    argv = test_argv(test)
    notify = progress or (lambda _p: None)
    paths = RepoPaths(repo)
    with _lock(paths.root / "merge.lock"):
        _check_unchanged(plan, steps)
        holder = _checked_out_in(repo, plan.base)
        if holder is not None:
            _check_clean(holder, plan.base, steps)
        outcomes = [StepOutcome(c.name, c.branch) for c in steps]
        result = MergeReport(plan.base, plan.base_tip, plan.base_tip, outcomes, all_or_nothing)
        if not steps:
            return result
        with _integration_worktree(repo, paths.root / "integration", plan.base_tip) as work:
            if argv:
                _check_program(argv, work)
            good = plan.base_tip
            env = gitutil.identity_env(repo)
            for i, (cand, outcome) in enumerate(zip(steps, outcomes)):
                notify(Progress(i, cand.name, "merging"))
                if not _merge_step(work, cand, outcome, env):
                    notify(Progress(i, cand.name, "conflict", ", ".join(outcome.conflicts)))
                    break
                if argv:
                    notify(Progress(i, cand.name, "testing", shlex.join(argv)))
                    passed, output, timed_out = _run_test(argv, work, test_timeout)
                    outcome.test_output = output
                    outcome.test_timeout = test_timeout if timed_out else None
                    _reset(work, outcome.commit if passed else good)
                    if not passed:
                        outcome.status = TEST_FAILED
                        notify(Progress(i, cand.name, "test_failed", output))
                        break
                outcome.status = MERGED
                good = outcome.commit
                notify(Progress(i, cand.name, "merged", outcome.commit))
            if result.stopped_at is not None and all_or_nothing:
                good = plan.base_tip
            if good != plan.base_tip:
                notify(Progress(-1, plan.base, "advancing", good))
                _advance(repo, plan.base, plan.base_tip, good, holder, steps)
                result.base_after = good
                result.advanced_in = holder
    return result


def _merge_step(work: Path, cand: Candidate, outcome: StepOutcome, env: dict[str, str]) -> bool:
    """Merge one branch tip; on conflict record the files, abort, and return False."""
    message = f"cockpit: merge agent {cand.name} ({cand.branch})"
    # As rehearsed: no recorded resolutions replayed, no hook vetoing the throwaway commit.
    merge = ["-c", "rerere.enabled=false", "merge", "--no-ff", "--no-edit", "--no-verify", "-m", message, cand.tip]
    proc = git(*merge, cwd=work, env=env, check=False)
    if proc.returncode == 0:
        outcome.commit = out("rev-parse", "HEAD", cwd=work)
        outcome.tree = out("rev-parse", "HEAD^{tree}", cwd=work)
        return True
    unmerged = gitutil.unmerged_paths(work)
    in_progress = gitutil.rev(work, "MERGE_HEAD") is not None
    if in_progress:
        git("merge", "--abort", cwd=work)
    if not in_progress or not unmerged:
        raise CockpitError(f"git could not merge {cand.branch}: {(proc.stderr or proc.stdout).strip()}")
    outcome.status = CONFLICT
    outcome.conflicts = unmerged
    return False


def _run_test(argv: list[str], work: Path, timeout: float) -> tuple[bool, str, bool]:
    """(passed, output tail, timed out).  The test runs in a process group of its own, killed
    whole when it overruns (a hung test would otherwise hold the merge lock forever) and
    afterwards (nothing it started outlives its step)."""
    proc = subprocess.Popen(argv, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace", start_new_session=True)
    timed_out = False
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_group(proc.pid)
        try:
            output, _ = proc.communicate(timeout=KILLED_OUTPUT_WAIT)
        except subprocess.TimeoutExpired:  # something that left the group holds the pipe open
            proc.kill()
            output = ""
    finally:
        _kill_group(proc.pid)
    lines = output.rstrip().splitlines()[-OUTPUT_TAIL_LINES:]
    if timed_out:
        lines.append(f"cockpit: killed the test after {duration(timeout)} (merge_test_timeout / --test-timeout)")
    return proc.returncode == 0 and not timed_out, "\n".join(lines), timed_out


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _reset(work: Path, commit: str) -> None:
    """Back to exactly `commit`, dropping whatever the test left (it might collide with the next merge)."""
    git("reset", "-q", "--hard", commit, cwd=work)
    git("clean", "-q", "-f", "-d", cwd=work)


def _check_program(argv: list[str], work: Path) -> None:
    program = argv[0]
    found = (work / program).is_file() if "/" in program else shutil.which(program) is not None
    if not found:
        raise CockpitError(f"test command not found: {program}", "pass a command that runs in the repository root")


def _check_unchanged(plan: Plan, steps: list[Candidate]) -> None:
    """The plan's tips are what was rehearsed; refuse if anything moved since."""
    if gitutil.rev(plan.repo, f"refs/heads/{plan.base}") != plan.base_tip:
        raise CockpitError(f"{plan.base} moved since the plan was made", "make the plan again")
    for cand in steps:
        if gitutil.rev(plan.repo, f"refs/heads/{cand.branch}") != cand.tip:
            raise CockpitError(f"{cand.name}'s branch {cand.branch} moved since the plan was made", "make the plan again")


def _checked_out_in(repo: Path, base: str) -> Path | None:
    return next((path for path, branch in registered_worktrees(repo).items() if branch == base), None)


def _check_clean(holder: Path, base: str, steps: list[Candidate]) -> None:
    """The worktree holding the base must take a fast-forward: no changes, no untracked or ignored file in the way."""
    entries = gitutil.status_porcelain(holder)
    changed = sorted(path for xy, path, _orig in entries if xy != "??")
    incoming = {p for c in steps for p in c.paths}
    untracked = sorted(path for xy, path, _orig in entries if xy == "??" and path in incoming)
    ignored = [] if changed or untracked else _ignored_in_the_way(holder, incoming)
    if changed or untracked or ignored:
        if changed:
            what = f"uncommitted changes ({_some(changed)})"
        else:
            what = f"{'untracked' if untracked else 'ignored'} files the merge would overwrite ({_some(untracked or ignored)})"
        hint = "move them away there (git ignores them, so it would overwrite them without asking)" if ignored else "commit or stash them there"
        raise CockpitError(f"{base} is checked out in {holder}, which has {what}; nothing was merged", f"{hint}, then merge again")


def _ignored_in_the_way(holder: Path, incoming: set[str]) -> list[str]:
    """Ignored files where the merge brings a file: a fast-forward would overwrite them silently."""
    present = [p for p in sorted(incoming) if os.path.lexists(holder / p)]
    if not present:
        return []
    proc = git("check-ignore", "-z", "--stdin", cwd=holder, input="\0".join(present) + "\0", check=False, env=gitutil.READ_ONLY)
    return [p for p in proc.stdout.split("\0") if p]


def _some(paths: list[str], limit: int = 5) -> str:
    return ", ".join(paths[:limit]) + (f" and {len(paths) - limit} more" if len(paths) > limit else "")


def _advance(repo: Path, base: str, old: str, new: str, holder: Path | None, steps: list[Candidate]) -> None:
    """Fast-forward the base from `old` to `new`: in its worktree if checked out, else by update-ref."""
    if gitutil.rev(repo, f"refs/heads/{base}") != old:
        raise CockpitError(f"{base} moved while merging; it was left where it is", "merge again")
    if holder is None:
        git("update-ref", "-m", f"cockpit merge: fast-forward {base}", f"refs/heads/{base}", new, old, cwd=repo)
        return
    _check_clean(holder, base, steps)
    proc = git("merge", "--ff-only", "-q", new, cwd=holder, check=False)
    if proc.returncode != 0:
        raise CockpitError(
            f"could not fast-forward {base} in {holder}: {proc.stderr.strip()}",
            f"{base} was left where it is; the merged result was discarded",
        )


@contextmanager
def _lock(path: Path) -> Iterator[None]:
    """One merge at a time per repository."""
    with open_private(path, "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CockpitError("another cockpit merge is running for this repository", "wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextmanager
def _integration_worktree(repo: Path, path: Path, start: str) -> Iterator[Path]:
    """A detached worktree at `start`, removed afterwards whatever happened."""
    _remove_worktree(repo, path)  # left over by a crash: it only ever holds throwaway merges
    private_dir(path.parent)
    git("worktree", "add", "-q", "--detach", str(path), start, cwd=repo)
    try:
        yield path
    finally:
        _remove_worktree(repo, path)


def _remove_worktree(repo: Path, path: Path) -> None:
    if path.resolve() in registered_worktrees(repo):
        git("worktree", "remove", "--force", "--force", str(path), cwd=repo)
    elif path.exists():
        shutil.rmtree(path)
    git("worktree", "prune", cwd=repo)
