"""A snapshot sees a same-size edit made in the second the index was written ("racily clean")."""

import os
import subprocess
import time
from pathlib import Path

from cockpit.git import gitutil
from cockpit.overlap.ignore import IgnoreList
from cockpit.overlap.snapshot import Snapshotter


def make_racy_edit(repo: Path) -> None:
    """Edit a.txt keeping its size and mtime, with the index written in that same second."""
    past = int(time.time() - 30) * 10**9
    os.utime(repo / "a.txt", ns=(past, past))
    subprocess.run(["git", "update-index", "--refresh"], cwd=repo, capture_output=True)
    (repo / "a.txt").write_text("same size B\n")
    os.utime(repo / "a.txt", ns=(past, past))
    os.utime(repo / ".git" / "index", ns=(past, past))
    status = subprocess.run(["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True,
                            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"}).stdout  # fmt: skip
    assert status == " M a.txt\n"  # git itself sees the edit


def test_gitutil_snapshot_keeps_a_racily_clean_edit(make_repo):
    repo = make_repo(files={"a.txt": "same size A\n"})
    make_racy_edit(repo)
    snap = gitutil.snapshot_commit(repo, "keep")
    assert snap != gitutil.rev(repo, "HEAD")
    assert gitutil.out("show", f"{snap}:a.txt", cwd=repo) == "same size B"


def test_overlap_snapshot_keeps_a_racily_clean_edit(make_repo, tmp_path):
    repo = make_repo(files={"a.txt": "same size A\n"})
    make_racy_edit(repo)
    snap = Snapshotter(repo, IgnoreList(), tmp_path / "i.index").take()
    assert snap.dirty
    assert gitutil.out("show", f"{snap.commit}:a.txt", cwd=repo) == "same size B"
