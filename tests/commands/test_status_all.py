"""`cockpit status --all`: every repository with agents under COCKPIT_HOME, needs-human first,
with the same agent rows as `cockpit status --json`; a broken repository is listed with its error."""

from __future__ import annotations

import json
import shutil

from cockpit.agents.layout import AgentSpec
from cockpit.agents.team import Team
from cockpit.paths import RepoPaths

from tests.support import cli, eventually, py, status_json

ASKS = py("import time; print('Overwrite config? [y/N] ', end='', flush=True); time.sleep(3600)")
SLEEPER = py("import time; print('ready', flush=True); time.sleep(3600)")
KEYS = {"repo", "session", "host", "counts", "agents"}


def all_json(capsys) -> dict:
    code, out, err = cli(capsys, "status", "--all", "--json")
    assert code == 0, err
    return json.loads(out)


def test_every_repository_with_agents_needs_human_first_with_status_rows(make_repo, capsys):
    lab, shop, empty = make_repo("lab"), make_repo("shop"), make_repo("empty")
    Team(lab).spawn(AgentSpec(name="bench", command=SLEEPER))
    shop_team = Team(shop)
    shop_team.spawn(AgentSpec(name="api", command=SLEEPER))
    shop_team.spawn(AgentSpec(name="asks", command=ASKS))
    Team(empty).configure()  # cockpit knows it, but it has no agents: not listed

    def asking() -> dict | None:
        data = all_json(capsys)
        return data if data["repos"] and data["repos"][0]["counts"].get("needs_input") else None

    data = eventually(asking, timeout=30, interval=0.5, what="shop's asking agent listed first")
    repos = data["repos"]
    assert [r["repo"] for r in repos] == [str(shop), str(lab)]  # shop waits on the human, though lab sorts first by name
    assert all(set(r) == KEYS and r["host"] is None for r in repos)
    assert repos[0]["session"] == "shop" and repos[1]["session"] == "lab"
    assert list(repos[0]["counts"])[0] == "needs_input" and sum(repos[0]["counts"].values()) == 2
    assert sum(repos[1]["counts"].values()) == 1

    for entry, repo in ((repos[0], shop), (repos[1], lab)):
        status_rows = {a["name"]: a for a in status_json(capsys, repo)["agents"]}
        rows = {a["name"]: a for a in entry["agents"]}
        assert rows.keys() == status_rows.keys()
        for name, row in rows.items():
            assert row.keys() == status_rows[name].keys()
            assert (row["branch"], row["worktree"], row["recording"]) == (status_rows[name]["branch"], status_rows[name]["worktree"], status_rows[name]["recording"])
        assert {a["state"]: 0 for a in entry["agents"]}.keys() == entry["counts"].keys()

    code, out, _ = cli(capsys, "status", "--all")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:4] == ["REPOSITORY", "SESSION", "AGENTS", "STATES"]
    assert lines[1].startswith("shop") and "1 needs_input" in lines[1] and lines[2].startswith("lab")
    assert "empty" not in out


def test_a_broken_repository_is_listed_with_its_error_and_the_others_still_are(make_repo, capsys):
    good, gone, garbled, orphan = make_repo("good"), make_repo("gone"), make_repo("garbled"), make_repo("orphan")
    for repo in (good, gone, garbled, orphan):
        Team(repo).spawn(AgentSpec(name="api", command=SLEEPER))
    shutil.rmtree(gone)
    RepoPaths(garbled).repo_file.write_text("{not json")
    RepoPaths(orphan).repo_file.unlink()

    repos = all_json(capsys)["repos"]
    assert [r["repo"] for r in repos][0] == str(good)  # readable repositories first
    by_repo = {r["repo"]: r for r in repos}
    assert by_repo[str(good)]["counts"] and "error" not in by_repo[str(good)]
    assert f"the repository folder {gone} is gone" in by_repo[str(gone)]["error"]
    broken = next(r for r in repos if r["repo"] == str(RepoPaths(garbled).root))
    assert "repo.json cannot be read" in broken["error"] and broken["agents"] == [] and broken["counts"] == {}
    unknown = next(r for r in repos if r["repo"] == str(RepoPaths(orphan).root))
    assert "repo.json is missing, so the repository of these agents is unknown" in unknown["error"]
    assert len(repos) == 4 and all(set(r) == KEYS | {"error"} for r in repos[1:])

    code, out, _ = cli(capsys, "status", "--all")
    assert code == 0
    assert f"! {gone}: the repository folder {gone} is gone" in out
    assert "repo.json cannot be read" in out


def test_all_and_repo_together_are_refused(repo, capsys):
    code, _, err = cli(capsys, "status", "--all", "--repo", str(repo))
    assert code == 2 and "--all lists every repository" in err
