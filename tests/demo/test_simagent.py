"""The simulated agent, run as a subprocess in temp git repos, judged by what a user would see."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from cockpit.agents.profiles import get_profile
from cockpit.demo.repo import create_demo_repo
from cockpit.git.gitutil import out
from cockpit.git.mergetree import merge_one
from cockpit.simagent import SCENARIOS


def run_git(cwd: Path, *args: str) -> str:
    return out(*args, cwd=cwd)

SPEED = "50"
WAIT = 20.0  # generous: the machine is shared


def sim_env(agent: str, scenario: str | None = None, **extra: str) -> dict[str, str]:
    env = {**os.environ, "SIM_SPEED": SPEED, "COCKPIT_AGENT": agent, "PYTHONUNBUFFERED": "1", **extra}
    if scenario:
        env["SIM_SCENARIO"] = scenario
    return env


def visible(raw: str) -> list[str]:
    """Lines as a terminal leaves them: text after the last carriage return, erase-line codes dropped."""
    return [line.split("\r")[-1].replace("\x1b[K", "") for line in raw.split("\n")]


def rules(kind: str) -> list[re.Pattern]:
    return [re.compile(p, re.MULTILINE) for p in getattr(get_profile("sim").screen, kind)]


def matches(kind: str, screen: list[str]) -> bool:
    text = "\n".join(line.rstrip() for line in screen)
    return any(p.search(text) for p in rules(kind))


def run_sim(cwd: Path, *args: str, stdin: str = "", agent: str = "api", **env: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "cockpit.simagent", *args],
        cwd=cwd,
        env=sim_env(agent, **env),
        input=stdin.encode(),
        capture_output=True,
        timeout=60,
    )
    # decoded by hand: text mode would turn the carriage returns of redrawn lines into newlines
    proc.stdout, proc.stderr = proc.stdout.decode(), proc.stderr.decode()
    return proc


class LiveSim:
    """A running sim whose output is collected by a thread, for scenarios that wait or never end."""

    def __init__(self, cwd: Path, scenario: str, agent: str = "api") -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "cockpit.simagent", "--scenario", scenario],
            cwd=cwd,
            env=sim_env(agent),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self._chunks: list[bytes] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while chunk := self.proc.stdout.read1(65536):
            self._chunks.append(chunk)

    @property
    def raw(self) -> str:
        return b"".join(self._chunks).decode("utf-8", errors="replace")

    def wait_for(self, predicate, what: str) -> None:
        deadline = time.monotonic() + WAIT
        while not predicate(self.raw):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; output so far:\n{self.raw[-2000:]}")
            time.sleep(0.02)

    def send(self, line: str) -> None:
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def close(self) -> int:
        if self.proc.poll() is None:
            self.proc.kill()
        code = self.proc.wait(timeout=WAIT)
        self._reader.join(timeout=WAIT)
        return code


@pytest.fixture
def live():
    started: list[LiveSim] = []

    def start(cwd: Path, scenario: str, agent: str = "api") -> LiveSim:
        sim = LiveSim(cwd, scenario, agent)
        started.append(sim)
        return sim

    yield start
    for sim in started:
        sim.close()


def test_help_lists_every_scenario():
    proc = subprocess.run([sys.executable, "-m", "cockpit.simagent", "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    for name in SCENARIOS:
        assert re.search(rf"^\s+{name}\s", proc.stdout, re.MULTILINE), name
    assert "SIM_SPEED" in proc.stdout and "SIM_SCENARIO" in proc.stdout


def test_unknown_scenario_is_a_clear_error(repo):
    proc = run_sim(repo, "--scenario", "dance")
    assert proc.returncode == 2
    assert "unknown scenario 'dance'" in proc.stderr and "work" in proc.stderr


def test_work_edits_commits_then_works_again_for_each_line_typed(make_repo):
    repo = make_repo("shop", {"README.md": "# shop\n\n## Features\n\n- List orders\n\n## Usage\n\nRun it.\n", "src/shared.py": "PAGE_SIZE = 50\nTIMEOUT = 30\n"})
    proc = run_sim(repo, "Add pagination to /orders", stdin="Export orders as CSV\nexit\n", agent="orders-api")
    assert proc.returncode == 0, proc.stderr
    lines = visible(proc.stdout)
    assert "> Add pagination to /orders" in lines
    assert "● Edit(src/shared.py)" in lines and "● Write(src/orders_api.py)" in lines
    assert "⠿ working" in proc.stdout  # the status line was shown while busy…
    assert not any(line.startswith("⠿") for line in lines)  # …and erased each time
    assert lines.count("sim> ") == 2
    assert "● On it: Export orders as CSV" in lines
    log = run_git(repo, "log", "--format=%s", "-3").splitlines()
    assert log == ["Export orders as CSV", "Add pagination to /orders", "initial"]
    first = run_git(repo, "show", "--name-only", "--format=", "HEAD~1").splitlines()
    assert sorted(first) == ["README.md", "src/orders_api.py", "src/shared.py"]
    readme = (repo / "README.md").read_text()
    assert readme.index("- Add pagination to /orders") < readme.index("## Usage")
    assert "PAGE_SIZE = 25\nTIMEOUT = 30\n" == (repo / "src/shared.py").read_text()
    assert "def export_orders_as_csv_1" in (repo / "src/orders_api.py").read_text()
    assert run_git(repo, "status", "--porcelain") == ""


def test_work_commits_without_a_configured_identity(make_repo):
    repo = make_repo()
    run_git(repo, "config", "--unset", "user.name")
    run_git(repo, "config", "--unset", "user.email")
    proc = run_sim(repo, "--scenario", "work")
    assert proc.returncode == 0, proc.stderr
    assert run_git(repo, "log", "-1", "--format=%an <%ae> %s") == "cockpit <cockpit@localhost> Add pagination to /orders"


def test_task_and_agent_come_from_cockpit_env_and_the_argument_wins(repo):
    from_env = run_sim(repo, COCKPIT_TASK="Fix the date picker", SIM_SCENARIO="crash")
    assert "> Fix the date picker" in visible(from_env.stdout)
    from_arg = run_sim(repo, "Tidy", "the", "logs", COCKPIT_TASK="Fix the date picker", SIM_SCENARIO="crash")
    assert "> Tidy the logs" in visible(from_arg.stdout)
    flag_wins = run_sim(repo, "--scenario", "crash", SIM_SCENARIO="work")
    assert "scenario crash" in flag_wins.stdout and flag_wins.returncode == 3


def test_work_and_overlap_branches_really_conflict_and_ask_only_overlaps(tmp_path):
    repo = create_demo_repo(tmp_path / "shop")
    runs = {}
    for agent, scenario, answer in [("api", "work", ""), ("size", "overlap", ""), ("docs", "ask", "y\n")]:
        wt = tmp_path / agent
        run_git(repo, "worktree", "add", "-q", "-b", f"cockpit/{agent}", str(wt), "main")
        runs[agent] = subprocess.Popen(
            [sys.executable, "-m", "cockpit.simagent", "--scenario", scenario],
            cwd=wt, env=sim_env(agent), stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
        )
        runs[agent].stdin.write(answer)
        runs[agent].stdin.close()
    assert all(p.wait(timeout=60) == 0 for p in runs.values())

    def changed(agent: str) -> set[str]:
        return set(run_git(repo, "diff", "--name-only", f"main...cockpit/{agent}").splitlines())

    assert changed("api") & changed("size") == {"src/shared.py"}
    assert changed("api") & changed("docs") == {"README.md"}
    assert merge_one(repo, "cockpit/api", "cockpit/size").conflicts == ["src/shared.py"]
    assert merge_one(repo, "cockpit/api", "cockpit/docs").clean

    # and git itself agrees when really merging
    integration = tmp_path / "integration"
    run_git(repo, "worktree", "add", "-q", "--detach", str(integration), "cockpit/api")
    clean = subprocess.run(["git", "merge", "--no-edit", "cockpit/docs"], cwd=integration, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    conflicted = subprocess.run(["git", "merge", "--no-edit", "cockpit/size"], cwd=integration, capture_output=True, text=True)
    assert conflicted.returncode == 1
    assert run_git(integration, "diff", "--name-only", "--diff-filter=U") == "src/shared.py"
    run_git(integration, "merge", "--abort")


def test_ask_waits_for_an_answer_then_yes_edits_and_commits(repo, live):
    sim = live(repo, "ask")
    sim.wait_for(lambda raw: raw.endswith("[y/n] "), "the question")
    screen = visible(sim.raw)
    assert matches("question", screen[-3:]) and not matches("busy", screen[-3:])
    time.sleep(0.5)  # a tenth of a minute at this speed: it must still be waiting
    assert sim.raw.endswith("[y/n] ") and sim.proc.poll() is None
    assert run_git(repo, "log", "--format=%s") == "initial"
    sim.send("maybe")
    sim.wait_for(lambda raw: raw.count("[y/n] ") == 2, "the question again")
    sim.send("y")
    sim.wait_for(lambda raw: raw.endswith("sim> "), "the idle prompt")
    assert run_git(repo, "log", "-1", "--format=%s") == "Document how to run the shop on another port"
    assert "src/api.py" in run_git(repo, "show", "--name-only", "--format=", "HEAD")
    sim.send("exit")
    assert sim.proc.wait(timeout=WAIT) == 0


def test_ask_answered_no_skips_the_change(repo):
    proc = run_sim(repo, "--scenario", "ask", stdin="n\n")
    assert proc.returncode == 0
    lines = visible(proc.stdout)
    assert any(line.startswith("● Skipped:") for line in lines)
    assert lines[-2:] == ["sim> ", ""]
    assert run_git(repo, "log", "--format=%s") == "initial"
    assert run_git(repo, "status", "--porcelain") == ""


def test_crash_prints_a_traceback_and_exits_3(repo):
    proc = run_sim(repo, "--scenario", "crash")
    assert proc.returncode == 3
    assert "● Bash(python -m shop.migrate)" in visible(proc.stdout)
    assert proc.stderr.startswith("Traceback (most recent call last):")
    assert proc.stderr.strip().splitlines()[-1].startswith("json.decoder.JSONDecodeError: Unterminated string")


def _normalise(line: str) -> str:
    return re.sub(r"0x[0-9a-f]+|\d+", "#", line)


def test_loop_repeats_the_same_error_with_changing_noise(repo, live):
    sim = live(repo, "loop")
    sim.wait_for(lambda raw: raw.count("Error: Cannot find module") >= 4, "four repetitions")
    lines = visible(sim.raw)
    errors = [line for line in lines if "Error: Cannot find module" in line][:4]
    calls = [line for line in lines if line.startswith("● Bash(")]
    assert set(calls[:4]) == {"● Bash(npm test)"}
    assert len(set(errors)) == 4  # the raw lines all differ…
    assert len({_normalise(e) for e in errors}) == 1  # …but not once the noise is stripped
    assert re.search(r"at \d\d:\d\d:\d\d\.\d{3} \(pid \d+, req 0x[0-9a-f]{6}\)", errors[0])
    assert sim.proc.poll() is None


def test_loop2_alternates_two_actions(repo, live):
    sim = live(repo, "loop2")
    sim.wait_for(lambda raw: raw.count("● Grep(") >= 6, "six greps")
    calls = [line for line in visible(sim.raw) if line.startswith("● Grep(")][:6]
    a, b = calls[0], calls[1]
    assert a != b and calls == [a, b, a, b, a, b]


def test_silent_stops_printing_and_uses_no_cpu(repo, live):
    sim = live(repo, "silent")
    sim.wait_for(lambda raw: "Thinking about the best approach" in raw, "its last words")
    process = psutil.Process(sim.proc.pid)
    before, cpu_before = sim.raw, sum(process.cpu_times()[:2])
    time.sleep(0.6)  # half a minute at this speed
    assert sim.raw == before and sim.proc.poll() is None
    assert sum(process.cpu_times()[:2]) - cpu_before < 0.05
    screen = visible(before)[-5:]
    assert not any(matches(kind, screen) for kind in ("busy", "idle", "question"))


def test_tests_scenario_prints_progressing_pytest_lines(repo):
    proc = run_sim(repo, "--scenario", "tests")
    assert proc.returncode == 0
    lines = visible(proc.stdout)
    results = [re.fullmatch(r"(tests/test_\w+\.py::test_\w+\[\w+\]) PASSED +\[ *(\d+)%\]", line) for line in lines]
    results = [m for m in results if m]
    assert len(results) >= 50
    names = [m[1] for m in results]
    percents = [int(m[2]) for m in results]
    assert len(set(names)) == len(names)
    assert percents == sorted(percents) and percents[-1] == 100
    assert any(re.fullmatch(rf"=+ {len(results)} passed in [\d.]+s =+", line) for line in lines)
    assert lines[-2] == "sim> "


def test_build_scenario_counts_up_distinct_files(repo):
    proc = run_sim(repo, "--scenario", "build")
    assert proc.returncode == 0
    steps = [re.fullmatch(r"\[(\d+)/(\d+)\] (Compiling|Linking) (\S+)", line) for line in visible(proc.stdout)]
    steps = [m for m in steps if m]
    assert [int(m[1]) for m in steps] == list(range(1, len(steps) + 1))
    assert {int(m[2]) for m in steps} == {len(steps)} and len(steps) > 50
    assert len({m[4] for m in steps}) == len(steps)
    assert steps[-1][3] == "Linking"


def test_compile_prints_one_line_then_burns_cpu_silently(repo):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = run_sim(repo, "--scenario", "compile")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert proc.returncode == 0
    lines = visible(proc.stdout)
    start = next(i for i, line in enumerate(lines) if "Compiling shop" in line)
    assert "Finished `release` profile" in lines[start + 1]  # nothing at all between the two
    assert after.ru_utime - before.ru_utime >= 20.0 / float(SPEED)
    assert lines[-2] == "sim> "


def test_progress_redraws_one_line_in_place(repo):
    proc = run_sim(repo, "--scenario", "progress")
    assert proc.returncode == 0
    bar_line = next(line for line in proc.stdout.split("\n") if "Downloading fixtures" in line)
    frames = [f for f in bar_line.split("\r") if f]
    percents = [int(re.search(r"(\d+)%", f)[1]) for f in frames]
    assert len(frames) > 10 and percents == sorted(percents) and percents[-1] == 100
    assert len({len(f) for f in frames}) == 1  # same width, so each frame fully covers the last
    assert visible(proc.stdout)[-2] == "sim> "


def test_screens_match_the_sim_profile_rules(repo, live):
    sim = live(repo, "work")
    sim.wait_for(lambda raw: raw.endswith("sim> "), "the idle prompt")
    raw = sim.raw
    first_frame_end = raw.index("\r", raw.index("⠿ working"))
    busy_screen = visible(raw[:first_frame_end])[-4:]  # the screen while the first status line shows
    assert matches("busy", busy_screen)
    idle_screen = visible(raw)[-6:]
    assert matches("idle", idle_screen) and not matches("busy", idle_screen) and not matches("question", idle_screen)
