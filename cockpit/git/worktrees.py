"""Agent worktrees: create or reuse them, and remove them without losing work.

Removal first keeps everything recoverable under refs/cockpit/archive/NAME/…:
the branch tip, (if the worktree is dirty) a snapshot commit of the
uncommitted and untracked files, and one more on top of it with the ignored
files (`.env`, logs, `build/`; not dependency folders like node_modules).  A
worktree holding another git repository is refused before anything is touched.
Only after verifying the snapshot is the worktree cleaned and removed with a
plain `git worktree remove` (never forced).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from cockpit.errors import CockpitError
from cockpit.git import gitutil
from cockpit.git import ignored as ignored_files
from cockpit.git.gitutil import git, out
from cockpit.paths import private_dir

ARCHIVE_PREFIX = "refs/cockpit/archive"


def registered_worktrees(repo: Path) -> dict[Path, str | None]:
    """Every worktree git knows: path -> checked-out branch (None when detached)."""
    result: dict[Path, str | None] = {}
    path: Path | None = None
    for line in out("worktree", "list", "--porcelain", cwd=repo).splitlines() + [""]:
        if line.startswith("worktree "):
            path = Path(line[len("worktree ") :]).resolve()
            result[path] = None
        elif line.startswith("branch ") and path is not None:
            result[path] = line[len("branch ") :].removeprefix("refs/heads/")
    return result


def ensure_worktree(repo: Path, path: Path, branch: str, base: str) -> bool:
    """Make `path` a worktree on `branch` (forked from `base` if new). True when created now.

    An existing branch of that name is reused as it is, never reset.
    """
    path = path.resolve()
    _check_location(repo, path)
    worktrees = registered_worktrees(repo)
    if path in worktrees:
        if worktrees[path] != branch:
            raise CockpitError(
                f"{path} is a worktree on {worktrees[path] or 'a detached HEAD'}, not {branch}",
                f"check out {branch} there, or remove the agent and start again",
            )
        return False
    for other, other_branch in worktrees.items():
        if other_branch == branch:
            raise CockpitError(
                f"branch {branch} is already checked out in {other}",
                "check out another branch there, or give this agent another name",
            )
    if path.exists() and any(path.iterdir()):
        raise CockpitError(f"{path} exists and is not a worktree of {repo}", "move it away, or give the agent another name")
    git("worktree", "prune", cwd=repo)
    private_dir(path.parent)
    if gitutil.branch_exists(repo, branch):
        git("worktree", "add", str(path), branch, cwd=repo)
    else:
        if gitutil.rev(repo, base) is None:
            raise CockpitError(f"base {base!r} is not a branch or commit in {repo}", "set `base` in the layout to an existing branch")
        git("worktree", "add", "-b", branch, str(path), base, cwd=repo)
    return True


def _check_location(repo: Path, path: Path) -> None:
    """Worktrees must not land among the main worktree's tracked files."""
    try:
        rel = path.relative_to(repo.resolve())
    except ValueError:
        return
    ignored = git("check-ignore", "-q", str(rel), cwd=repo, check=False).returncode == 0
    if not ignored:
        raise CockpitError(
            f"worktree {path} would sit inside {repo} without being ignored",
            "set COCKPIT_HOME outside the repository, or add that folder to .gitignore",
        )


@dataclass(frozen=True)
class Archive:
    branch_ref: str | None  # archive ref holding the branch tip
    uncommitted_ref: str | None  # archive ref holding a snapshot of uncommitted work
    ignored_ref: str | None = None  # that snapshot plus the ignored files
    dropped: tuple[str, ...] = field(default=())  # ignored entries deleted without archiving
    dropped_why: str = ""

    def describe(self) -> str:
        parts = []
        if self.branch_ref:
            parts.append(f"branch kept at {self.branch_ref}")
        if self.uncommitted_ref:
            parts.append(
                f"uncommitted changes kept at {self.uncommitted_ref} "
                f"(restore with: git checkout {self.uncommitted_ref} -- .)"
            )
        if self.ignored_ref:
            parts.append(f"ignored files kept at {self.ignored_ref} (restore with: git checkout {self.ignored_ref} -- .)")
        if self.dropped:
            parts.append(f"not kept ({self.dropped_why}): {', '.join(self.dropped)}")
        return "; ".join(parts) or "nothing to keep"


def archive(repo: Path, name: str, branch: str, worktree: Path | None, force_ignored: bool = False) -> Archive:
    """Keep the branch tip, uncommitted work and ignored files under refs/cockpit/archive/NAME/STAMP/."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    prefix = f"{ARCHIVE_PREFIX}/{name}/{stamp}"
    n = 1
    while any(gitutil.rev(repo, f"{prefix}/{kind}") for kind in ("branch", "uncommitted", "ignored")):
        n += 1
        prefix = f"{ARCHIVE_PREFIX}/{name}/{stamp}-{n}"
    present = worktree is not None and (worktree / ".git").exists()
    ignored = ignored_files.check_removable(worktree, force_ignored) if present else None  # may refuse: first
    branch_ref = uncommitted_ref = ignored_ref = None
    tip = gitutil.rev(repo, f"refs/heads/{branch}")
    if tip:
        branch_ref = f"{prefix}/branch"
        git("update-ref", "-m", f"cockpit rm {name}", branch_ref, tip, cwd=repo)
    if not present:
        return Archive(branch_ref, None)
    snap = gitutil.snapshot_commit(worktree, f"cockpit: uncommitted work of agent {name} at removal")
    if snap != gitutil.rev(worktree, "HEAD"):
        uncommitted_ref = f"{prefix}/uncommitted"
        git("update-ref", "-m", f"cockpit rm {name}", uncommitted_ref, snap, cwd=repo)
    if ignored is None:
        listed = ignored_files.scan(worktree) if force_ignored else None
        dropped = (*listed.kept, *listed.dropped) if listed else ()
        return Archive(branch_ref, uncommitted_ref, None, dropped, "--force-ignored")
    with_ignored = ignored_files.snapshot(worktree, snap, ignored, f"cockpit: ignored files of agent {name} at removal")
    if with_ignored:
        ignored_ref = f"{prefix}/ignored"
        git("update-ref", "-m", f"cockpit rm {name}", ignored_ref, with_ignored, cwd=repo)
    return Archive(branch_ref, uncommitted_ref, ignored_ref, ignored.dropped, "dependency folders, reinstallable")


def remove(repo: Path, name: str, branch: str, worktree: Path, delete_branch: bool = True, force_ignored: bool = False) -> Archive:
    """Archive, then remove the worktree (and the branch, now archived). Never loses work
    without saying so: a nested repository is refused before anything is touched."""
    worktree = worktree.resolve()
    kept = archive(repo, name, branch, worktree, force_ignored)
    if worktree in registered_worktrees(repo):
        if kept.uncommitted_ref:
            _verify_snapshot(worktree, kept.uncommitted_ref)
            # The work is safe in the archive refs: make the tree clean so the unforced
            # `git worktree remove` below can proceed.  Ignored files go too (-x): they are
            # archived, reinstallable dependency folders, or dropped knowingly (--force-ignored);
            # left behind, an untracked .gitignore's removal turned them untracked and git refused.
            git("reset", "-q", "--hard", "HEAD", cwd=worktree)
            git("clean", "-q", "-f", "-d", "-x", cwd=worktree)
        proc = git("worktree", "remove", str(worktree), cwd=repo, check=False)
        if proc.returncode != 0:
            raise CockpitError(
                f"git refused to remove {worktree}: {proc.stderr.strip()}",
                f"nothing was deleted; {kept.describe()}",
            )
    elif worktree.exists():
        raise CockpitError(f"{worktree} is not a registered worktree; left it alone", kept.describe())
    if delete_branch and kept.branch_ref and gitutil.branch_exists(repo, branch):
        tip = gitutil.rev(repo, f"refs/heads/{branch}")
        if tip == gitutil.rev(repo, kept.branch_ref):
            git("branch", "-D", branch, cwd=repo)
    return kept


def _verify_snapshot(worktree: Path, ref: str) -> None:
    """Refuse to clean a worktree whose current state differs from its snapshot."""
    again = gitutil.snapshot_commit(worktree, "verify")
    if out("rev-parse", f"{again}^{{tree}}", cwd=worktree) != out("rev-parse", f"{ref}^{{tree}}", cwd=worktree):
        raise CockpitError(f"{worktree} changed while it was being archived", f"nothing was deleted; {ref} holds a snapshot")
