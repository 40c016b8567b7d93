"""Snapshot commits hold an agent's work exactly as it is on disk, and change nothing."""

import subprocess
from pathlib import Path

from cockpit.overlap.ignore import IgnoreList
from cockpit.overlap.snapshot import Snapshotter, changed_vs_base

from tests.overlap_helpers import commit_all, git, make_team, repo_fingerprint, write


def tree_files(repo: Path, commit: str) -> dict[str, str]:
    out = git(repo, "ls-tree", "-r", "-z", "--format=%(path) %(objectname)", commit)
    return dict(line.rsplit(" ", 1) for line in out.split("\0") if line)


def disk_files(worktree: Path, ignore: IgnoreList) -> dict[str, str]:
    files = {}
    for p in worktree.rglob("*"):
        rel = p.relative_to(worktree).as_posix()
        if p.is_file() and ".git" not in rel.split("/") and not ignore(rel):
            if _gitignored(worktree, rel):
                continue
            files[rel] = git(worktree, "hash-object", rel).strip()
    return files


def _gitignored(worktree: Path, rel: str) -> bool:
    return subprocess.run(["git", "check-ignore", "-q", rel], cwd=worktree).returncode == 0


def test_snapshot_tracks_edits_untracked_deletions_and_commits(make_repo, tmp_path):
    repo = make_repo(files={"a.txt": "a\n", "b.txt": "b\n", "dir/c.txt": "c\n", ".gitignore": "*.log\n"})
    wt = make_team(repo, ["one"])["one"]
    ignore = IgnoreList()
    snap = Snapshotter(wt, ignore, tmp_path / "idx" / "one.index")

    clean = snap.take()
    assert clean.commit == clean.head == git(wt, "rev-parse", "HEAD").strip() and not clean.dirty

    write(wt, "a.txt", "a changed\n")
    (wt / "b.txt").unlink()
    write(wt, "new/untracked.txt", "new\n")
    write(wt, "build.log", "ignored by .gitignore\n")
    write(wt, ".claude/settings.local.json", "{}\n")
    before = repo_fingerprint(repo, [wt])
    first = snap.take()
    assert repo_fingerprint(repo, [wt]) == before
    assert first.dirty and git(repo, "rev-parse", f"{first.commit}^").strip() == first.head
    assert tree_files(repo, first.commit) == disk_files(wt, ignore)
    assert "build.log" not in tree_files(repo, first.commit)

    # the next snapshot starts from the kept private index: only what changed since
    write(wt, "a.txt", "a changed again\n")
    (wt / "new" / "untracked.txt").rename(wt / "new" / "moved.txt")
    second = snap.take()
    assert tree_files(repo, second.commit) == disk_files(wt, ignore)

    # committing part of it moves HEAD: the snapshot follows, still equal to the disk
    git(wt, "add", "a.txt")
    git(wt, "commit", "-q", "-m", "a")
    third = snap.take()
    assert third.head == git(wt, "rev-parse", "HEAD").strip()
    assert tree_files(repo, third.commit) == disk_files(wt, ignore)

    # reverting everything uncommitted gives HEAD back
    commit_all(wt, "rest")
    (wt / ".claude" / "settings.local.json").write_text('{"changed": true}\n')
    assert snap.take().commit == git(wt, "rev-parse", "HEAD").strip()


def test_staged_scratch_files_stay_out_and_same_state_same_commit(make_repo, tmp_path):
    repo = make_repo(files={"a.txt": "a\n"})
    wt = make_team(repo, ["one"])["one"]
    write(wt, ".claude/settings.local.json", "{}\n")
    write(wt, "a.txt", "edited\n")
    git(wt, "add", "-A")  # even staged, scratch files are not the agent's work
    one = Snapshotter(wt, IgnoreList(), tmp_path / "1.index").take()
    two = Snapshotter(wt, IgnoreList(), tmp_path / "2.index").take()
    assert one.commit == two.commit  # deterministic: merge results can be cached
    assert set(tree_files(repo, one.commit)) == {"a.txt"}


def test_changed_vs_base_counts_both_sides_of_a_rename(make_repo, tmp_path):
    repo = make_repo(files={"old.py": "".join(f"line {i}\n" for i in range(30)), "keep.txt": "k\n"})
    wt = make_team(repo, ["one"])["one"]
    git(wt, "mv", "old.py", "new.py")
    write(wt, "keep.txt", "k2\n")
    write(wt, ".aider.chat.history.md", "chat\n")
    snap = Snapshotter(wt, IgnoreList(), tmp_path / "i.index").take()
    changes = changed_vs_base(repo, git(repo, "rev-parse", "main").strip(), snap.commit, IgnoreList())
    assert changes.kinds == {"old.py": "R", "new.py": "R", "keep.txt": "M"}
    assert changes.renames == {"new.py": "old.py"}
