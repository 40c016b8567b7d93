"""The radar's overlaps and conflicts equal what really merging the agents' work with git gives."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest

from cockpit.agents.store import Store
from cockpit.overlap import OverlapRadar
from cockpit.paths import RepoPaths

from tests.overlap_helpers import commit_all, git, make_team, oracle, repo_fingerprint, write

PNG = bytes(range(256)) * 8


def lines(tag: str, n: int = 30) -> str:
    return "".join(f"{tag} line {i}\n" for i in range(1, n + 1))


def edit_line(root: Path, rel: str, number: int, text: str) -> None:
    path = root / rel
    content = path.read_text().splitlines(keepends=True)
    content[number - 1] = text + "\n"
    path.write_text("".join(content))


def radar_for(repo: Path, tmp_path: Path) -> OverlapRadar:
    return OverlapRadar(repo, Store(RepoPaths(repo)).agents(), index_dir=tmp_path / "radar-index")


@pytest.fixture
def scenario(make_repo):
    """Seven agents covering every kind of change the radar must see."""
    repo = make_repo(
        files={
            "shared.py": lines("shared"),
            "notes.md": lines("note", 20),
            "old_name.py": lines("old"),
            "lib/util.py": lines("util"),
            "lib/helpers.py": lines("helper"),
            "docs/guide.md": lines("guide"),
            "cfg.toml": lines("cfg", 5),
        }
    )
    write(repo, "logo.png", PNG)
    commit_all(repo, "logo")
    wts = make_team(repo, ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"])
    a, b, g, d, e, z = (wts[n] for n in ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"])

    edit_line(a, "shared.py", 5, "alpha was here")
    commit_all(a, "alpha commits")
    edit_line(a, "notes.md", 3, "alpha note")  # uncommitted
    write(a, "logo.png", PNG[::-1])  # binary, uncommitted
    write(a, "feature/new.py", "alpha's new module\n")  # untracked
    write(a, ".claude/settings.local.json", '{"alpha": 1}\n')  # scratch
    edit_line(a, "cfg.toml", 1, "alpha cfg")  # base will change this line too

    edit_line(b, "notes.md", 18, "beta note")
    write(b, "logo.png", PNG[:1000])
    commit_all(b, "beta commits")
    edit_line(b, "shared.py", 5, "beta was here")  # uncommitted, same line as alpha
    write(b, "feature/new.py", "beta's new module\n")  # untracked, same path as alpha
    write(b, ".claude/settings.local.json", '{"beta": 2}\n')
    write(b, ".aider.chat.history.md", "# chat\n")

    git(g, "rm", "-q", "lib/helpers.py")
    git(g, "commit", "-q", "-m", "gamma drops helpers")
    git(g, "mv", "old_name.py", "new_name.py")  # staged rename, edited after, not committed
    edit_line(g, "new_name.py", 2, "gamma edit")

    edit_line(d, "old_name.py", 2, "delta edit")
    commit_all(d, "delta commits")
    edit_line(d, "lib/helpers.py", 7, "delta keeps helpers")  # modify vs gamma's delete

    git(e, "mv", "docs", "manual")  # directory rename, committed
    commit_all(e, "epsilon renames docs")
    write(e, "build", "a file named build\n")

    write(z, "docs/extra.md", "zeta adds a doc\n")  # lands in a folder epsilon renamed
    write(z, "build/out.txt", "zeta wants a build folder\n")  # file/directory clash with epsilon

    # the base moves on after the agents forked
    edit_line(repo, "cfg.toml", 1, "main cfg")
    edit_line(repo, "lib/util.py", 10, "main util")
    commit_all(repo, "main moves")
    late = make_team(repo, ["eta"])["eta"]  # forked from the moved base
    edit_line(late, "notes.md", 10, "eta note")
    return repo, wts | {"eta": late}


def test_every_reported_conflict_is_real_and_every_real_one_is_reported(scenario, tmp_path):
    repo, wts = scenario
    expected = oracle(repo, tmp_path)
    before = repo_fingerprint(repo, list(wts.values()))
    with radar_for(repo, tmp_path) as radar:
        update = radar.refresh()
    assert repo_fingerprint(repo, list(wts.values())) == before  # no worktree, index or ref touched
    assert update.report.errors == {}
    got = update.report.to_json()
    assert got == expected

    pairs = {tuple(p["agents"]): p for p in got["pairs"]}
    ab = pairs[("alpha", "beta")]
    assert {"shared.py", "logo.png", "feature/new.py"} <= set(ab["conflicts"])
    assert "notes.md" in ab["files"] and "notes.md" not in ab["conflicts"]  # same file, other lines
    assert not any(".claude" in f or ".aider" in f for p in got["pairs"] for f in p["files"])
    assert "lib/helpers.py" in pairs[("delta", "gamma")]["conflicts"]
    assert pairs[("delta", "gamma")]["conflicts"]  # rename + edit vs edit of the old name
    assert ("epsilon", "zeta") in pairs and pairs[("epsilon", "zeta")]["conflicts"]  # no shared path, still a conflict
    assert got["base_conflicts"].get("alpha") == ["cfg.toml"]
    assert "eta" not in got["base_conflicts"]


def test_refreshing_one_agent_matches_a_full_recompute_and_reports_news(scenario, tmp_path):
    repo, wts = scenario
    with radar_for(repo, tmp_path) as radar:
        radar.refresh()
        edit_line(wts["eta"], "shared.py", 5, "eta too")  # now eta conflicts with alpha and beta
        update = radar.refresh(["eta"])
        assert update.refreshed == ("eta",)
        news = {n.agents: n.paths for n in update.new_conflicts}
        assert news[("alpha", "eta")] == ("shared.py",) and news[("beta", "eta")] == ("shared.py",)
        assert "eta and beta" not in " ".join(n.describe() for n in update.new_conflicts)
        with radar_for(repo, tmp_path / "fresh") as fresh:
            assert update.report == fresh.refresh().report
        assert update.report.to_json() == oracle(repo, tmp_path)

        # nothing changed: nothing refreshed, nothing new
        again = radar.refresh(["eta", "alpha"])
        assert again.refreshed == () and not again.changed and again.new_conflicts == ()

        # eta backs out: the conflict is reported resolved
        git(wts["eta"], "checkout", "--", "shared.py")
        back = radar.refresh(["eta"])
        assert {n.agents for n in back.resolved} == {("alpha", "eta"), ("beta", "eta")}
        said = {n.describe(resolved=True) for n in back.resolved}
        assert said == {"alpha and eta no longer conflict: shared.py", "beta and eta no longer conflict: shared.py"}


def test_pair_detail_gives_overlapping_line_ranges(scenario, tmp_path):
    repo, _ = scenario
    with radar_for(repo, tmp_path) as radar:
        radar.refresh()
        detail = radar.pair_detail("beta", "alpha")
    assert detail.agents == ("alpha", "beta")
    by_path = {f.path: f for f in detail.files}
    shared = by_path["shared.py"]
    assert shared.conflict and shared.overlapping == [(5, 5)]
    assert [(h.base_start, h.base_count) for h in shared.ours] == [(5, 1)]
    notes = by_path["notes.md"]
    assert not notes.conflict and notes.overlapping == []
    assert [h.base_start for h in notes.ours] == [3] and [h.base_start for h in notes.theirs] == [18]
    assert by_path["logo.png"].binary and by_path["logo.png"].conflict


def test_agent_with_a_missing_worktree_is_reported_not_fatal(make_repo, tmp_path):
    repo = make_repo(files={"a.txt": lines("a")})
    wts = make_team(repo, ["one", "two", "three"])
    edit_line(wts["one"], "a.txt", 2, "one")
    edit_line(wts["two"], "a.txt", 2, "two")
    git(repo, "worktree", "remove", "--force", str(wts["three"]))
    with radar_for(repo, tmp_path) as radar:
        report = radar.refresh().report
    assert set(report.errors) == {"three"} and "missing" in report.errors["three"]
    assert report.to_json()["pairs"] == [{"agents": ["one", "two"], "files": ["a.txt"], "conflicts": ["a.txt"]}]


# -- generated scenarios ---------------------------------------------------------------------

FILES = [f"pkg{d}/mod{i}.py" for d in range(3) for i in range(4)] + ["README.md", "data.bin"]


def random_step(rng: random.Random, wt: Path, who: str, step: int) -> None:
    """One realistic edit: change lines, add, delete, rename (file or folder), binary, commit or not."""
    tracked = sorted(p.relative_to(wt).as_posix() for p in wt.rglob("*") if p.is_file() and ".git" not in p.relative_to(wt).parts)
    texts = [p for p in tracked if not p.endswith(".bin")]
    kind = rng.choice(["edit", "edit", "edit", "add", "delete", "rename", "binary", "dirmove", "commit", "scratch"])
    if kind == "edit" and texts:
        rel = rng.choice(texts)
        content = (wt / rel).read_text().splitlines(keepends=True) or ["\n"]
        at = rng.randrange(len(content))
        content[at : at + rng.randint(0, 2)] = [f"{who} step {step}\n"] * rng.randint(1, 3)
        (wt / rel).write_text("".join(content))
    elif kind == "add":
        write(wt, rng.choice([f"pkg{rng.randrange(3)}/new{rng.randrange(3)}.py", f"extra/{rng.randrange(2)}.txt"]), f"{who} {step}\n")
    elif kind == "delete" and texts:
        (wt / rng.choice(texts)).unlink()
    elif kind == "rename" and texts:
        rel = rng.choice(texts)
        target = wt / f"{Path(rel).parent}/renamed_{Path(rel).name}"
        (wt / rel).rename(target)
    elif kind == "binary":
        write(wt, "data.bin", bytes(rng.randrange(256) for _ in range(64)) * 8)
    elif kind == "dirmove":
        src = wt / f"pkg{rng.randrange(3)}"
        if src.is_dir():
            src.rename(wt / f"{src.name}_moved")
    elif kind == "commit":
        commit_all(wt, f"{who} {step}")
    elif kind == "scratch":
        write(wt, ".claude/settings.local.json", f'{{"{who}": {step}}}\n')


@pytest.mark.parametrize("seed", range(6))
def test_generated_scenarios_match_real_merges(make_repo, tmp_path, seed):
    rng = random.Random(seed)
    files = {rel: lines(rel, rng.randint(8, 25)) for rel in FILES if not rel.endswith(".bin")}
    repo = make_repo(files=files)
    write(repo, "data.bin", bytes(range(200)) * 4)
    commit_all(repo, "binary")
    wts = make_team(repo, [f"ag{i}" for i in range(4)])
    for step in range(rng.randint(3, 7)):
        for name, wt in wts.items():
            if rng.random() < 0.8:
                random_step(rng, wt, name, step)
    if rng.random() < 0.6:  # the base moves
        random_step(rng, repo, "main", 99)
        commit_all(repo, "main moves")
    with radar_for(repo, tmp_path) as radar:
        first = radar.refresh()
        assert first.report.errors == {}
        assert first.report.to_json() == oracle(repo, tmp_path)
        # more work in one agent, refreshed alone, still matches the truth
        name = rng.choice(sorted(wts))
        for step in range(3):
            random_step(rng, wts[name], name, 100 + step)
        assert radar.refresh([name]).report.to_json() == oracle(repo, tmp_path)


def test_radar_writes_no_ref_and_leaves_no_temp_index(make_repo, tmp_path):
    repo = make_repo(files={"a.txt": lines("a")})
    wts = make_team(repo, ["one", "two"])
    edit_line(wts["one"], "a.txt", 3, "x")
    radar = OverlapRadar(repo, Store(RepoPaths(repo)).agents())
    radar.refresh()
    index_dir = radar.index_dir
    assert index_dir.is_dir()
    radar.close()
    assert not index_dir.exists()
    refs = subprocess.run(["git", "for-each-ref"], cwd=repo, capture_output=True, text=True).stdout
    assert "cockpit/one" in refs and "overlap" not in refs and "snapshot" not in refs


def test_an_agent_on_unrelated_history_is_an_error_for_it_alone(make_repo, tmp_path):
    repo = make_repo(files={"a.txt": lines("a")})
    wts = make_team(repo, ["one", "two", "odd"])
    edit_line(wts["one"], "a.txt", 2, "one")
    edit_line(wts["two"], "a.txt", 2, "two")
    git(wts["odd"], "checkout", "-q", "--orphan", "elsewhere")
    commit_all(wts["odd"], "no common history")
    with radar_for(repo, tmp_path) as radar:
        report = radar.refresh().report
    assert list(report.errors) == ["odd"] and "no merge base" in report.errors["odd"]
    assert [p.agents for p in report.pairs] == [("one", "two")]
