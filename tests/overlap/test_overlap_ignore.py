"""The radar's ignore list follows gitignore's pattern rules."""

import pytest

from cockpit.agents.layout import layout_from_dict
from cockpit.agents.settings import TeamSettings
from cockpit.errors import CockpitError
from cockpit.overlap.ignore import DEFAULT_IGNORE, IgnoreList, ignore_from_settings


@pytest.mark.parametrize(
    ("pattern", "path", "ignored"),
    [
        (".aider*", ".aider.chat.history.md", True),
        (".aider*", "sub/.aider.tags.cache.v3/cache.db", True),
        (".aider*", "src/aider.py", False),
        (".claude/", ".claude/settings.local.json", True),
        (".claude/", "pkg/.claude/notes.md", True),
        (".claude/", ".claude", False),  # a file named .claude is not the folder
        ("*.swp", "a/b/.main.py.swp", True),
        ("/build", "build/out.o", True),
        ("/build", "src/build/out.o", False),
        ("docs/*.md", "docs/a.md", True),
        ("docs/*.md", "docs/deep/a.md", False),
        ("docs/**/*.md", "docs/deep/er/a.md", True),
        ("**/gen/", "x/y/gen/file.c", True),
        ("file?.txt", "file1.txt", True),
        ("file?.txt", "file10.txt", False),
        ("[ab].txt", "b.txt", True),
        ("[!ab].txt", "b.txt", False),
    ],
)
def test_pattern_rules(pattern, path, ignored):
    assert IgnoreList([pattern])(path) is ignored


def test_last_matching_pattern_wins():
    rules = IgnoreList(["*.log", "!keep.log"])
    assert rules("debug.log")
    assert not rules("keep.log")


def test_defaults_cover_agent_scratch_and_not_project_files():
    rules = IgnoreList(DEFAULT_IGNORE)
    for scratch in (".aider.input.history", ".claude/settings.local.json", ".codex/config.toml", ".gemini/x", "pkg/__pycache__/m.pyc"):
        assert rules(scratch), scratch
    for real in ("src/claude.py", "README.md", "aider/main.py", ".github/workflows/ci.yml"):
        assert not rules(real), real


def test_layout_patterns_add_to_defaults():
    rules = ignore_from_settings(TeamSettings(overlap_ignore=["dist/"]))
    assert rules("dist/app.js") and rules(".aider.tags")
    assert not rules("src/app.js")


def test_bad_layout_values_are_clear_errors():
    with pytest.raises(CockpitError, match=r"team.toml: overlap_ignore: Input should be a valid list"):
        layout_from_dict({"overlap_ignore": "dist/"}, source="team.toml")
    with pytest.raises(CockpitError, match=r"team.toml: overlap_ignore.*matches nothing"):
        layout_from_dict({"overlap_ignore": ["/"]}, source="team.toml")
    assert layout_from_dict({"overlap_ignore": ["dist/"]}).overlap_ignore == ["dist/"]
    assert layout_from_dict({"overlap_guard": True}).overlap_guard is True
    assert layout_from_dict({}).overlap_guard is False
