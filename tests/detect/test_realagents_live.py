"""The real Claude Code and Codex CLIs under cockpit, live, against the fake API.

Each test runs the newest installed version of a CLI (tools/install_realagents.sh
puts them in COCKPIT_REALAGENTS_DIR) through a scenario and checks the state
cockpit's monitor shows, and how soon: needs_input within 1 s of the dialog
showing, looping soon after the fourth repetition, exited within 1 s.  Without
the CLI the test is skipped, saying how to install it.
"""

from __future__ import annotations

import contextlib
import json
import os
import time

import pytest

from tests.realagents.harness import CACHE, Run, installed, scenario


def newest(cli: str):
    found = [c for c in installed() if c.cli == cli]
    if not found:
        pytest.skip(f"{cli} is not installed in {CACHE}: run tools/install_realagents.sh (or set COCKPIT_REALAGENTS_DIR)")
    return max(found, key=lambda c: tuple(int(p) for p in c.version.split(".") if p.isdigit()))


@pytest.fixture
def run_cli(make_repo, tmp_path, monkeypatch):
    """Factory: a Run of the newest `cli` on a scenario, in the test's isolated cockpit."""
    stack = contextlib.ExitStack()

    def start(cli: str, name: str) -> Run:
        found = newest(cli)
        monkeypatch.setenv("PATH", f"{found.bin}:{os.environ['PATH']}")
        spec = scenario(name)
        repo = make_repo(f"repo-{cli}-{name}", {"README.md": "# demo\n", **spec.get("files", {})})
        return stack.enter_context(Run(found, spec, repo, tmp_path / f"{cli}-{name}"))

    with stack:
        yield start


def report(what: str, seconds: float) -> None:
    print(f"\nlive real agent: {what}: {seconds:.2f}s")


@pytest.mark.parametrize("cli", ["claude", "codex"])
def test_permission_dialog_is_needs_input_within_a_second(run_cli, cli, capsys):
    run = run_cli(cli, "approve")
    shown = run.wait_screen(r"Do you want to|Would you like to run", timeout=30)
    latency = run.wait_state("needs_input", timeout=5) - shown
    with capsys.disabled():
        report(f"{run.cli.tag} needs_input after the dialog showed", latency)
    assert latency <= 1.0, run.states
    run.watch(3)  # the dialog waits: the state must not flip (Codex's early turn-complete hook)
    assert run.states[-1][1] == "needs_input" and [s for _, s in run.states].count("needs_input") == 1, run.states
    run.keys("Enter")
    run.wait_state("idle", timeout=30)
    states = [s for _, s in run.states]
    assert states[states.index("needs_input") :][-1] == "idle" and "looping" not in states, states


def test_codex_trust_dialog_then_work_then_idle(run_cli, capsys):
    run = run_cli("codex", "trust")
    shown = run.wait_screen(r"[Tt]rust this folder", timeout=30)
    latency = run.wait_state("needs_input", timeout=5) - shown
    with capsys.disabled():
        report(f"{run.cli.tag} trust dialog needs_input", latency)
    run.keys("Enter")
    run.wait_screen("Nothing to change here", timeout=30)
    run.wait_state("idle", timeout=5)
    assert latency <= 1.0 and "looping" not in [s for _, s in run.states], run.states


def test_codex_retrying_one_failing_command_is_looping(run_cli, capsys):
    run = run_cli("codex", "loop1")
    looping = run.wait_state("looping", timeout=30)
    answers = [json.loads(line) for line in (run.work / "api.jsonl").read_text().splitlines()]
    fourth = [a["t"] for a in answers if a.get("turn") is not None][3]
    with capsys.disabled():
        report(f"{run.cli.tag} looping after the fourth repetition started", looping - fourth)
    assert looping - fourth <= 30


def test_claude_exit_is_exited_within_a_second(run_cli, capsys):
    run = run_cli("claude", "exit")
    run.wait_screen("Hello there", timeout=30)
    run.wait_state("idle", timeout=10)
    run.team.send(run.name, "/exit")
    gone = run.wait(lambda: run.team.panes()[run.name].dead, timeout=10, what="the pane to die")
    exited = run.wait_state("exited", timeout=5)
    with capsys.disabled():
        report(f"{run.cli.tag} exited after its pane died", max(0.0, exited - gone))
    assert exited - gone <= 1.0 and time.time() - run.started < 60
