"""`cockpit merge plan|run|commit|send-back`: JSON, exit codes, messages."""

from __future__ import annotations

import argparse
import io
import json
import sys

import pytest

from cockpit import cli
from cockpit.agents.layout import layout_from_dict
from cockpit.agents.store import RepoState, Store
from cockpit.agents.team import Team
from cockpit.commands.merge import team_view
from cockpit.paths import RepoPaths

from tests.merge_helpers import APP, Agents, all_refs, assert_no_merge_state, edit_line, git, lines, tip


@pytest.fixture
def shop(make_repo):
    return make_repo("shop", {"README.md": "# shop\n", "app.py": APP})


@pytest.fixture
def team(shop):
    agents = Agents(shop)
    agents.add("api", {"app.py": edit_line(APP, 5, "api 5")})
    agents.add("web", {"app.py": edit_line(APP, 5, "web 5"), "web.css": lines(10, "css")})
    agents.add("util", {"util.py": lines(3, "util")})
    agents.add("front", {"front.js": lines(2, "f")}, after=["util"])
    return agents


def cockpit(shop, capsys, *args):
    code = cli.main(["merge", *args, "--repo", str(shop)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plan_json(shop, team, capsys):
    team.add("idle")  # nothing to merge
    code, out, _ = cockpit(shop, capsys, "plan", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["order"] == ["util", "front", "api", "web"]
    assert [(s["agent"], s["clean"], s["conflicts"]) for s in data["steps"]] == [
        ("util", True, []),
        ("front", True, []),
        ("api", True, []),
        ("web", False, ["app.py"]),
    ]
    assert data["steps"][1]["reason"] == "after util" and data["steps"][1]["after"] == ["util"]
    assert [e["agent"] for e in data["excluded"]] == ["idle"]
    assert data["excluded"][0]["reason"].startswith("nothing to merge")


def test_plan_text_names_the_stop_and_the_left_out(shop, team, capsys):
    team.write("util", {"wip.py": "x\n"})
    code, out, _ = cockpit(shop, capsys, "plan")
    assert code == 0
    assert "✗ rehearsal: conflicts in app.py" in out
    assert "util: uncommitted changes" in out
    assert "front: after util, which is left out (dirty)" in out


def test_run_all_clean_exits_0(shop, team, capsys):
    code, out, _ = cockpit(shop, capsys, "run", "--order", "util,front,api", "--yes", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["merged"] == ["util", "front", "api"] and data["complete"] and data["stopped"] is None
    assert tip(shop, "main") == data["base_after"]


def test_run_stopped_by_a_conflict_exits_1_and_names_step_and_files(shop, team, capsys):
    code, out, _ = cockpit(shop, capsys, "run", "--yes", "--json")
    assert code == 1
    data = json.loads(out)
    assert data["merged"] == ["util", "front", "api"]
    assert data["stopped"]["step"] == 4 and data["stopped"]["agent"] == "web"
    assert "web conflicts in app.py" in data["stopped"]["reason"]
    assert data["steps"][3]["conflicts"] == ["app.py"]
    assert_no_merge_state(shop)


def test_run_text_report(shop, team, capsys):
    code, out, _ = cockpit(shop, capsys, "run", "--order", "api,web", "--yes")
    assert code == 1
    assert "[1/2] api: ok" in out
    assert "stopped at step 2: web conflicts in app.py; main now has the first 1 step(s) (api)" in out
    assert "cockpit merge send-back web" in out


def test_failing_test_from_the_layout_setting_exits_1_with_its_output(shop, team, capsys):
    store = Store(RepoPaths(shop))
    check = f"{sys.executable} -c \"import os, sys; print('no web.css please'); sys.exit(os.path.exists('web.css'))\""
    store.save_repo(RepoState(repo=str(shop), session="shop", base="main", merge_test=check))
    code, out, _ = cockpit(shop, capsys, "run", "--order", "web,util", "--yes", "--json")
    assert code == 1
    data = json.loads(out)
    assert data["steps"][0]["status"] == "test_failed"
    assert data["steps"][0]["test_output"] == "no web.css please"
    assert data["merged"] == []
    # --test overrides the layout's command
    code, out, _ = cockpit(shop, capsys, "run", "--order", "web,util", "--test", "true", "--yes", "--json")
    assert code == 0


@pytest.mark.parametrize(
    "order, message",
    [
        ("util,nobody", "no agent named 'nobody'"),
        ("front,util", "front must land after util: put util before front"),
        ("util,util", "util appears twice"),
    ],
)
def test_bad_order_exits_2_and_moves_nothing(shop, team, capsys, order, message):
    before = all_refs(shop)
    code, out, err = cockpit(shop, capsys, "run", "--order", order, "--yes")
    assert code == 2
    assert message in err and out == ""
    assert all_refs(shop) == before


def test_dirty_base_worktree_exits_2(shop, team, capsys):
    (shop / "app.py").write_text("user edit\n")
    before = all_refs(shop)
    code, _, err = cockpit(shop, capsys, "run", "--yes")
    assert code == 2
    assert "main is checked out in" in err and "nothing was merged" in err
    assert all_refs(shop) == before


def test_without_yes_it_asks_on_a_terminal_and_refuses_elsewhere(shop, team, capsys, monkeypatch):
    before = all_refs(shop)
    code, _, err = cockpit(shop, capsys, "run", "--order", "util")  # pytest's stdin is no terminal
    assert code == 2 and "needs confirmation" in err and "--yes" in err

    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    code, out, _ = cockpit(shop, capsys, "run", "--order", "util")
    assert code == 1
    assert "1. util" in out and "Merge 1 branch(es) into main? [y/N]" in out and "cancelled" in out
    assert all_refs(shop) == before

    monkeypatch.setattr(sys, "stdin", Terminal("y\nn\n"))  # merge: yes; clean up: no
    code, out, _ = cockpit(shop, capsys, "run", "--order", "util")
    assert code == 0
    assert "merged util into main" in out and "Remove the merged agents util" in out
    assert Agents(shop).worktree("util").exists()


def test_run_cleanup_removes_the_merged_agents(shop, team, capsys):
    code, out, _ = cockpit(shop, capsys, "run", "--order", "util,front", "--yes", "--cleanup", "--json")
    assert code == 0
    assert json.loads(out)["cleanup"] == {"util": "removed", "front": "removed"}
    assert sorted(r.name for r in team.records()) == ["api", "web"]
    assert not team.worktree("util").exists()


def test_include_and_commit(shop, team, capsys):
    team.write("util", {"wip.py": "x\n"})
    code, _, err = cockpit(shop, capsys, "run", "--order", "util", "--yes")
    assert code == 2 and "util is left out: uncommitted changes" in err
    code, out, _ = cockpit(shop, capsys, "plan", "--json", "--include", "util")
    assert "util" in json.loads(out)["order"]
    code, out, _ = cockpit(shop, capsys, "commit", "util", "-m", "finish util")
    assert code == 0 and "committed util's work" in out
    assert git(team.worktree("util"), "log", "-1", "--format=%s") == "finish util"
    code, out, _ = cockpit(shop, capsys, "commit", "nobody", "-m", "x")
    assert code == 2


def test_send_back_prints_the_message_for_the_agent(shop, team, capsys):
    assert cockpit(shop, capsys, "run", "--order", "api", "--yes")[0] == 0
    code, out, _ = cockpit(shop, capsys, "send-back", "web")
    assert code == 0
    assert "left the conflict in" in out and "conflicts in app.py" in out
    assert git(team.worktree("web"), "rev-parse", "-q", "--verify", "MERGE_HEAD") == tip(shop, "main")


def test_nothing_to_merge_is_not_an_error(shop, capsys):
    Agents(shop).add("idle")
    code, out, _ = cockpit(shop, capsys, "run", "--yes")
    assert (code, out.strip()) == (0, "nothing to merge into main")
    code, out, _ = cockpit(shop, capsys, "run", "--yes", "--json")
    assert code == 0 and json.loads(out)["merged"] == [] and json.loads(out)["complete"]


def test_layout_test_timeout_applies_and_the_flag_overrides_it(shop, team, capsys):
    hang = f'{sys.executable} -c "import time; time.sleep(600)"'
    Store(RepoPaths(shop)).save_repo(RepoState(repo=str(shop), session="shop", base="main", settings={"merge_test_timeout": 1.0}))
    code, out, _ = cockpit(shop, capsys, "run", "--order", "util", "--test", hang, "--yes", "--json")
    assert code == 1
    report = json.loads(out)
    assert report["steps"][0]["test_timed_out"] and "ran longer than 1s" in report["stopped"]["reason"]
    code, out, _ = cockpit(shop, capsys, "run", "--order", "util", "--test", hang, "--test-timeout", "500ms", "--yes", "--json")
    assert code == 1 and "killed the test after 0s" in json.loads(out)["steps"][0]["test_output"]
    with pytest.raises(SystemExit) as exc:
        cockpit(shop, capsys, "run", "--order", "util", "--test-timeout", "9999h", "--yes")
    assert exc.value.code == 2 and "--test-timeout: must be at most 7 days" in capsys.readouterr().err


def test_the_layout_merge_test_timeout_reaches_the_merge_command(shop, team, capsys):
    Team(shop).configure(layout_from_dict({"merge_test_timeout": "90s"}, source="team.toml"))
    assert team_view(argparse.Namespace(repo=str(shop))).merge_test_timeout == 90.0
