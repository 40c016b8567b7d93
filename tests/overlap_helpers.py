"""Teams of real worktrees for the overlap tests, and an independent oracle.

The oracle does what a person would: in a scratch clone it commits each agent's
worktree exactly as it is (copied file by file, scratch files left out), then
really merges every pair, and every agent into the current base, with
`git merge --no-commit`, and reads the unmerged paths from the index.
"""

from __future__ import annotations

import shutil
import subprocess
from itertools import combinations
from pathlib import Path

from cockpit.agents import names
from cockpit.agents.store import AgentRecord, Store
from cockpit.git import worktrees
from cockpit.paths import RepoPaths

SCRATCH_PREFIXES = (".claude/", ".aider", ".codex/")


def git(cwd: Path, *args: str, check: bool = True) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed in {cwd}: {proc.stderr}")
    return proc.stdout


def write(root: Path, rel: str, content: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)


def commit_all(cwd: Path, message: str = "work") -> None:
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "--allow-empty", "-m", message)


def make_team(repo: Path, agent_names: list[str], base: str = "main") -> dict[str, Path]:
    """Worktrees (via cockpit.git.worktrees) and saved AgentRecords, as `cockpit spawn` leaves them."""
    paths = RepoPaths(repo)
    store = Store(paths)
    result = {}
    for name in agent_names:
        worktree = paths.worktree(name)
        branch = names.branch_for(name)
        worktrees.ensure_worktree(repo, worktree, branch, base)
        store.save_agent(
            AgentRecord(name=name, profile="custom", argv=["true"], branch=branch, base=base, worktree=str(worktree))
        )
        result[name] = worktree
    return result


def _snapshot_into(clone: Path, name: str, branch: str, worktree: Path) -> str:
    """Commit the worktree's files, as they are on disk, on a branch of the clone.

    Scratch files keep whatever the branch committed: only uncommitted scratch is left out.
    """
    local = f"oracle/{name}"
    git(clone, "checkout", "-q", "-f", "-B", local, f"origin/{branch}")
    git(clone, "clean", "-q", "-f", "-d", "-x")
    for path in sorted(clone.rglob("*"), reverse=True):
        rel = path.relative_to(clone).as_posix()
        if rel == ".git" or rel.startswith(".git/") or rel.startswith(SCRATCH_PREFIXES):
            continue
        if path.is_dir() and not path.is_symlink():
            if not any(path.iterdir()):
                path.rmdir()
        else:
            path.unlink()
    for src in sorted(worktree.rglob("*")):
        rel = src.relative_to(worktree).as_posix()
        if rel == ".git" or rel.startswith(SCRATCH_PREFIXES) or not src.is_file():
            continue
        dst = clone / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    commit_all(clone, f"state of {name}")
    return local


def _merge_conflicts(clone: Path, ours: str, theirs: str) -> set[str]:
    git(clone, "checkout", "-q", "-f", "--detach", ours)
    git(clone, "merge", "-q", "--no-commit", "--no-ff", theirs, check=False)
    unmerged = git(clone, "diff", "--name-only", "-z", "--diff-filter=U").split("\0")
    git(clone, "merge", "--abort", check=False)
    git(clone, "reset", "-q", "--hard")
    git(clone, "clean", "-q", "-f", "-d", "-x")
    result = set()
    for path in filter(None, unmerged):
        for label in ("HEAD", ours, theirs):
            path = path.removesuffix("~" + label)
        result.add(path)
    return result


def oracle(repo: Path, scratch: Path, base: str = "main") -> dict:
    """The `cockpit overlaps --json` document, found by really merging with git."""
    records = Store(RepoPaths(repo)).agents()
    clone = scratch / "oracle-clone"
    shutil.rmtree(clone, ignore_errors=True)
    git(scratch, "clone", "-q", "--no-checkout", str(repo), str(clone))
    git(clone, "config", "user.name", "Oracle")
    git(clone, "config", "user.email", "oracle@example.com")
    git(clone, "config", "merge.conflictStyle", "merge")
    local = {r.name: _snapshot_into(clone, r.name, r.branch, Path(r.worktree)) for r in records}
    files = {}
    for name, branch in local.items():
        out = git(clone, "diff", "--name-only", "--no-renames", "-z", f"origin/{base}...{branch}")
        files[name] = {p for p in out.split("\0") if p and not p.startswith(SCRATCH_PREFIXES)}
    pairs = []
    for a, b in combinations(sorted(local), 2):
        conflicts = _merge_conflicts(clone, local[a], local[b])
        shared = files[a] & files[b]
        if shared or conflicts:
            pairs.append({"agents": [a, b], "files": sorted(shared | conflicts), "conflicts": sorted(conflicts)})
    base_conflicts = {}
    for name in sorted(local):
        conflicts = _merge_conflicts(clone, local[name], f"origin/{base}")
        if conflicts:
            base_conflicts[name] = sorted(conflicts)
    return {"pairs": pairs, "base_conflicts": base_conflicts}


def repo_fingerprint(repo: Path, worktree_paths: list[Path]) -> dict:
    """Everything the radar must leave alone: refs, stashes, each worktree's status and real index."""
    result = {
        "refs": git(repo, "for-each-ref", "--format=%(refname) %(objectname)"),
        "stash": git(repo, "stash", "list"),
        "worktrees": git(repo, "worktree", "list", "--porcelain"),
    }
    for wt in worktree_paths:
        index = Path(git(wt, "rev-parse", "--path-format=absolute", "--git-path", "index").strip())
        files = sorted(
            (p.relative_to(wt).as_posix(), p.read_bytes())
            for p in wt.rglob("*")
            if p.is_file() and ".git" not in p.relative_to(wt).parts
        )
        result[str(wt)] = (index.read_bytes() if index.exists() else None, files)
    return result
