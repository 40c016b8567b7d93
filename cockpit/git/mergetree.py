"""Three-way merges that touch nothing: `git merge-tree --write-tree`.

Used by the overlap radar (will two agents conflict?) and the merge queue
(rehearse an order).  No worktree, index or ref is changed; results are trees
and the list of conflicted paths.  Many merges run in one git process (--stdin).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cockpit.git.gitutil import GitError, git


@dataclass(frozen=True)
class MergeResult:
    clean: bool
    tree: str
    conflicts: list[str] = field(default_factory=list)


def merge_one(repo: Path, ours: str, theirs: str, merge_base: str | None = None) -> MergeResult:
    """Merge two commits in memory; exit status 0 = clean, 1 = conflicted."""
    args = ["merge-tree", "--write-tree", "-z", "--name-only"]
    if merge_base:
        args.append(f"--merge-base={merge_base}")
    proc = git(*args, ours, theirs, cwd=repo, check=False)
    if proc.returncode not in (0, 1):
        raise GitError(f"git merge-tree {ours} {theirs} failed: {proc.stderr.strip()}")
    tokens = proc.stdout.split("\0")
    tree = tokens[0]
    conflicts: list[str] = []
    for token in tokens[1:]:
        if not token:
            break
        conflicts.append(token)
    return MergeResult(proc.returncode == 0, tree, sorted(set(conflicts)))


def merge_many(repo: Path, pairs: list[tuple[str, str]]) -> list[MergeResult]:
    """Merge every (ours, theirs) pair in a single `git merge-tree --stdin` process."""
    if not pairs:
        return []
    stdin = "".join(f"{a} {b}\n" for a, b in pairs)
    proc = git("merge-tree", "--stdin", "-z", "--name-only", cwd=repo, input=stdin, check=False)
    if proc.returncode not in (0, 1):
        raise GitError(f"git merge-tree --stdin failed: {proc.stderr.strip()}")
    results = _parse_stdin_output(proc.stdout.split("\0"))
    if len(results) != len(pairs):
        raise GitError(f"git merge-tree --stdin answered {len(results)} merges for {len(pairs)} asked")
    return results


def _parse_stdin_output(tokens: list[str]) -> list[MergeResult]:
    """Records: `1 tree ''` (clean) or `0 tree paths… '' messages… ''`.

    Each message is `count path×count type text`; an empty token ends the record.
    """
    results: list[MergeResult] = []
    i = 0
    while i + 1 < len(tokens) and tokens[i] in ("0", "1"):
        clean = tokens[i] == "1"
        tree = tokens[i + 1]
        i += 2
        conflicts: list[str] = []
        while i < len(tokens) and tokens[i]:
            conflicts.append(tokens[i])
            i += 1
        i += 1  # blank after the conflicted paths
        if not clean:
            while i < len(tokens) and tokens[i]:
                count = int(tokens[i])
                i += 1 + count + 2
            i += 1  # blank that ends the messages
        results.append(MergeResult(clean, tree, sorted(set(conflicts))))
    return results
