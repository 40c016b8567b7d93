"""The demo repository: a real project on `main` with one commit, never made over existing files."""

from __future__ import annotations

import pytest

from cockpit.demo.repo import create_demo_repo
from cockpit.errors import CockpitError
from cockpit.git.gitutil import current_branch, is_dirty, out


def test_demo_repo_is_one_clean_commit_on_main_with_the_files_agents_edit(tmp_path):
    repo = create_demo_repo(tmp_path / "shop")
    assert current_branch(repo) == "main" and not is_dirty(repo)
    assert out("rev-list", "--count", "HEAD", cwd=repo) == "1"
    assert "PAGE_SIZE = 50" in (repo / "src/shared.py").read_text()
    assert {"README.md", "src/app.py", "src/shared.py", "docs/api.md"} <= set(out("ls-files", cwd=repo).splitlines())


def test_demo_repo_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine\n")
    with pytest.raises(CockpitError, match="not empty"):
        create_demo_repo(tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine\n"
