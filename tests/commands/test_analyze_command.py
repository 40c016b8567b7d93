"""`cockpit analyze`: the command a user runs on a recording."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest

from cockpit.agents.store import AgentRecord, RepoState, Store
from cockpit.commands import analyze
from cockpit.errors import CockpitError
from cockpit.paths import RepoPaths

DATA = Path(__file__).parents[1] / "data" / "recordings"


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="cockpit")
    sub = parser.add_subparsers(dest="command")
    analyze.register(sub)
    args = parser.parse_args(["analyze", *argv])
    return args.func(args)


def test_json_lists_the_verdicts_over_time(capsys):
    assert run(str(DATA / "sim_ask_answered.cast"), "--json", "--profile", "sim") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["final_state"] == "idle"
    assert [v["state"] for v in out["verdicts"]] == ["starting", "needs_input", "working", "idle"]
    times = [v["t"] for v in out["verdicts"]]
    assert times == sorted(times) and times[0] == 0
    assert "[y/n]" in out["verdicts"][1]["detail"]


def test_text_output_names_states_alerts_and_the_stall_window(capsys):
    assert run(str(DATA / "sim_silent.cast"), "--profile", "sim", "--stall-after", "5s") == 0
    out = capsys.readouterr().out
    assert "stalled" in out and "alert: stalled" in out
    assert run(str(DATA / "sim_silent.cast"), "--profile", "sim") == 0
    assert "stalled" not in capsys.readouterr().out  # the default window is 120 s


def test_the_profile_of_a_cockpit_recording_comes_from_its_agent_record(tmp_path, capsys):
    recordings = tmp_path / "recordings"
    recordings.mkdir()
    shutil.copy(DATA / "sim_loop.cast", recordings / "api.cast")
    (tmp_path / "agents").mkdir()
    record = AgentRecord(name="api", profile="sim", argv=["x"], branch="cockpit/api", base="main", worktree=str(tmp_path))
    (tmp_path / "agents" / "api.json").write_text(record.model_dump_json())
    assert analyze.guess_profile(recordings / "api.cast").name == "sim"
    assert analyze.guess_profile(DATA / "sim_loop.cast").name == "custom"


def test_events_beside_the_recording_are_replayed(capsys):
    assert analyze.events_path(Path("/x/api.cast")) == Path("/x/api.events.jsonl")
    run(str(DATA / "hand_hooks_permission.cast"), "--json")
    states = [v["state"] for v in json.loads(capsys.readouterr().out)["verdicts"]]
    assert "needs_input" in states  # only the hook events say so


def test_bad_input_is_a_clear_error(tmp_path):
    with pytest.raises(CockpitError, match="no such recording"):
        run(str(tmp_path / "missing.cast"))
    bad = tmp_path / "bad.cast"
    bad.write_text("not json\n")
    with pytest.raises(CockpitError, match="not an asciicast"):
        run(str(bad))
    with pytest.raises(CockpitError, match="unknown profile"):
        run(str(DATA / "sim_loop.cast"), "--profile", "nope")
    with pytest.raises(SystemExit):
        run(str(DATA / "sim_loop.cast"), "--stall-after", "soon")


def test_the_cockpit_command_line_has_analyze(capsys):
    from cockpit.cli import main

    assert main(["analyze", str(DATA / "sim_crash.cast"), "--profile", "sim", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["final_state"] == "exited"
    assert main(["analyze", str(DATA / "missing.cast")]) == 2
    assert "no such recording" in capsys.readouterr().err


def test_a_known_agents_recording_is_judged_with_its_layouts_stall_window_and_profile(repo, tmp_path, capsys):
    paths = RepoPaths(repo)
    store = Store(paths)
    store.save_repo(RepoState(repo=str(repo), session="shop", base="main", stall_after=5))
    store.save_agent(AgentRecord(name="api", profile="sim", argv=["x"], branch="cockpit/api", base="main", worktree=str(tmp_path)))
    paths.recordings_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "sim_silent.cast", paths.recording("api"))

    assert run(str(paths.recording("api")), "--json") == 0  # neither --profile nor --stall-after
    assert json.loads(capsys.readouterr().out)["final_state"] == "stalled"
    assert run(str(paths.recording("api")), "--json", "--stall-after", "10m") == 0  # the flag wins
    assert json.loads(capsys.readouterr().out)["final_state"] != "stalled"

    outside = tmp_path / "copy"  # the same files outside COCKPIT_HOME: the default window, as before
    shutil.copytree(paths.root, outside)
    assert analyze.guess_stall_after(outside / "recordings" / "api.cast") == 120
    assert analyze.guess_profile(outside / "recordings" / "api.cast").name == "sim"
    assert run(str(outside / "recordings" / "api.cast"), "--json") == 0
    assert json.loads(capsys.readouterr().out)["final_state"] != "stalled"
    store.forget_agent("api")  # not a known agent (any more): the default too
    assert analyze.guess_stall_after(paths.recording("api")) == 120
