"""The TUI against real agents in tmux: table, tail, actions, restart."""

from __future__ import annotations

import asyncio
from pathlib import Path

from cockpit.agents.layout import AgentSpec
from cockpit.agents.monitor import TeamMonitor
from cockpit.agents.team import Team
from cockpit.ui.agents import AgentTable
from cockpit.ui.app import CockpitApp

from tests.support import py, until

SIZE = (140, 40)


def cell(app: CockpitApp, name: str, column: str) -> str:
    return app.query_one(AgentTable).cell(name, column)


def tail_text(app: CockpitApp) -> str:
    return "\n".join(app.query_one("#tail").lines)


def test_table_and_tail_follow_live_agents(repo):
    team = Team(repo)
    team.spawn(AgentSpec(name="talker", command=py("import time\nfor i in range(100000):\n    print(f'line {i}', flush=True); time.sleep(0.3)")))
    team.spawn(AgentSpec(name="crasher", command=py("import sys,time; print('about to fail', flush=True); time.sleep(2); sys.exit(3)")))

    async def scenario():
        app = CockpitApp(TeamMonitor(team))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.query_one(AgentTable).row_count == 2, what="two rows")
            await until(
                pilot,
                lambda: cell(app, "crasher", "state") == "■ exited 3",
                what="exit code shown",
                show=lambda: (cell(app, "crasher", "state"), team.paths.events("crasher").read_text(), team.panes()["crasher"], __import__("subprocess").run(["ps", "-o", "pid,ppid,stat,cmd", "-p", str(team.panes()["crasher"].pid)], capture_output=True, text=True).stdout),
            )
            assert cell(app, "talker", "state") == "● working"
            # needs-human states sort first: the exited agent is on top
            assert app.query_one(AgentTable).names[0] == "crasher"
            table = app.query_one(AgentTable)
            table.select("talker")
            await until(pilot, lambda: "line " in tail_text(app), what="tail shows output")
            first = tail_text(app)
            await until(pilot, lambda: tail_text(app) != first, what="tail follows new output")

    asyncio.run(scenario())


def test_send_and_stop_from_the_keyboard(repo):
    team = Team(repo)
    team.spawn(AgentSpec(name="echo", command=py("import time\nwhile True:\n    line = input('prompt> ')\n    print('got', repr(line), flush=True)")))

    async def scenario():
        app = CockpitApp(TeamMonitor(team))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.query_one(AgentTable).row_count == 1)
            await pilot.press("s")
            await pilot.pause()
            for key in "héllo $(x)":
                await pilot.press(key if key != " " else "space")
            await pilot.press("enter")
            await until(pilot, lambda: "got 'héllo $(x)'" in tail_text(app), what="sent text echoed", show=lambda: (tail_text(app)[-300:], app.screen, app.focused))
            await pilot.press("x")
            await until(pilot, lambda: cell(app, "echo", "state").startswith("■ exited"), what="stopped")

    asyncio.run(scenario())


def test_remove_asks_first_and_archives(repo):
    team = Team(repo)
    team.spawn(AgentSpec(name="api", command=py("import time; time.sleep(3600)")))

    async def scenario():
        app = CockpitApp(TeamMonitor(team))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.query_one(AgentTable).row_count == 1)
            await pilot.press("d")
            await pilot.press("n")
            await pilot.pause()
            assert team.agents()
            await pilot.press("d")
            await pilot.press("y")
            await until(pilot, lambda: app.query_one(AgentTable).row_count == 0, what="row removed")
            assert not team.agents()

    asyncio.run(scenario())


def test_remove_offers_to_drop_ignored_files_too_big_to_archive(repo, monkeypatch):
    """As `rm` says "pass --force-ignored", the TUI asks; no, and nothing is touched."""
    import cockpit.git.ignored
    from cockpit.ui.dialogs import ConfirmScreen

    monkeypatch.setattr(cockpit.git.ignored, "MAX_IGNORED_BYTES", 1000)
    team = Team(repo)
    team.spawn(AgentSpec(name="api", command=py("import time; time.sleep(3600)")))
    worktree = Path(team.agent("api").worktree)
    (worktree / ".gitignore").write_text("build/\n")
    (worktree / "build").mkdir()
    (worktree / "build" / "big.bin").write_bytes(b"x" * 5000)

    async def scenario():
        app = CockpitApp(TeamMonitor(team))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.query_one(AgentTable).row_count == 1)
            await pilot.press("d", "y")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen) and "without archiving" in str(app.screen.question), what="offer to drop them")
            await pilot.press("n")
            await pilot.pause()
            assert team.agents() and (worktree / "build" / "big.bin").exists()  # refused before anything was touched
            await pilot.press("d", "y")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen) and "without archiving" in str(app.screen.question), what="asked again")
            await pilot.press("y")
            await until(pilot, lambda: app.query_one(AgentTable).row_count == 0, what="row removed", show=lambda: [n.message for n in app._notifications])
            assert not team.agents() and not worktree.exists()

    asyncio.run(scenario())


def test_reopened_cockpit_shows_the_same_agents_and_history(repo):
    team = Team(repo)
    team.spawn(AgentSpec(name="api", command=py("print('history line', flush=True)\nimport time; time.sleep(3600)")))

    async def session(expect_history: bool):
        app = CockpitApp(TeamMonitor(Team(repo)))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.query_one(AgentTable).row_count == 1)
            await until(pilot, lambda: "history line" in tail_text(app), what="history in tail")
            await pilot.press("q")

    asyncio.run(session(False))
    assert team.is_running("api")  # quitting leaves agents running
    asyncio.run(session(True))


def test_entering_needs_input_rings_the_bell_and_leaves_messages_to_the_observer(repo):
    from cockpit.recording.notify import Notifier

    team = Team(repo)
    team.spawn(AgentSpec(name="asker", profile="sim", task="ask task", env={"SIM_SCENARIO": "ask", "SIM_SPEED": "4"}))
    fired: list[str] = []

    async def scenario():
        app = CockpitApp(TeamMonitor(team))
        assert not app.notifier.settings.desktop and not app.notifier.settings.tmux and app.notifier.settings.command is None  # the observer sends those, once
        app.notifier = Notifier(app.notifier.settings, bell=lambda: fired.append("bell"))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: "bell" in fired, what="bell", timeout=30)

    asyncio.run(scenario())


def test_notifications_can_be_switched_off(repo):
    from cockpit.recording.notify import Notifier

    team = Team(repo)
    layout = repo.parent / "team.toml"
    layout.write_text("[notify]\nbell = false\ndesktop = false\ntmux = false\n")
    from cockpit.agents.layout import load_layout

    team.configure(load_layout(layout), layout)
    app = CockpitApp(TeamMonitor(Team(repo)))
    assert isinstance(app.notifier, Notifier)
    assert app.notifier.state_changed("api", "working", "needs_input").sinks == []


def test_worktree_changes_count_as_progress_and_fill_the_changed_column(repo):
    team = Team(repo)
    team.spawn(AgentSpec(name="quiet", command=py("print('thinking…', flush=True)\nimport time; time.sleep(3600)")))
    worktree = Path(team.agent("quiet").worktree)

    async def scenario():
        app = CockpitApp(TeamMonitor(team))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.query_one(AgentTable).row_count == 1)
            await until(pilot, lambda: app.radar is not None and app.overlaps is not None, what="radar running")
            await asyncio.sleep(1.0)
            (worktree / "notes.md").write_text("a new file\n")
            await until(pilot, lambda: cell(app, "quiet", "changed") == "1", what="Changed column", show=lambda: cell(app, "quiet", "changed"))
            await until(pilot, lambda: '"kind": "files"' in team.paths.events("quiet").read_text(), what="files event recorded")

    asyncio.run(scenario())


def test_agent_keys_do_nothing_while_another_view_is_open(repo):
    team = Team(repo)
    team.spawn(AgentSpec(name="api", command=py("import time; time.sleep(3600)")))

    async def scenario():
        app = CockpitApp(TeamMonitor(team))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.query_one(AgentTable).row_count == 1)
            for view in ("m", "o"):
                await pilot.press(view)
                await pilot.pause(0.5)
                assert len(app.screen_stack) == 2
                await pilot.press("x", "d", "y")  # stop / remove+confirm would act on the hidden table
                await pilot.pause(0.5)
                await pilot.press("escape")
                await pilot.pause(0.3)
            assert team.is_running("api") and team.agents()

    asyncio.run(scenario())


def test_windows_and_servers_that_vanish_are_pushed_to_the_table(repo):
    """No pane polling: a killed window reaches the TUI as the observer's pane event, a killed
    tmux server as its socket disappearing."""
    team = Team(repo)
    for name in ("gone", "stays"):
        team.spawn(AgentSpec(name=name, command=py("import time; print('ready', flush=True); time.sleep(3600)")))

    async def scenario():
        app = CockpitApp(TeamMonitor(team))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: cell(app, "stays", "state").endswith("working"), what="agents shown")
            team.tmux.kill_window(team.panes()["gone"].window_id)
            await until(pilot, lambda: "lost" in cell(app, "gone", "state"), timeout=10, what="lost window", show=lambda: cell(app, "gone", "state"))
            assert "working" in cell(app, "stays", "state")
            team.tmux.run("kill-server")
            await until(pilot, lambda: "lost" in cell(app, "stays", "state"), timeout=10, what="server gone", show=lambda: cell(app, "stays", "state"))

    asyncio.run(scenario())


def notices(app: CockpitApp) -> list[str]:
    return [n.message for n in app._notifications]


def test_R_restarts_an_exited_agent_in_its_worktree_and_refuses_a_running_one(repo):
    from cockpit.recording.cast import iter_jsonl

    team = Team(repo)
    team.spawn(AgentSpec(name="sim", profile="sim", task="add pagination", env={"SIM_SCENARIO": "work", "SIM_SPEED": "8"}))
    starts = lambda: [e for e in iter_jsonl(team.paths.events("sim")) if e.get("kind") == "start"]  # noqa: E731

    async def scenario():
        app = CockpitApp(TeamMonitor(team))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.query_one(AgentTable).row_count == 1)
            await pilot.press("R")
            await until(pilot, lambda: any("restart sim: agent sim is running" in n for n in notices(app)), what="refused", show=lambda: notices(app))
            assert len(starts()) == 1
            await pilot.press("x")
            await until(pilot, lambda: cell(app, "sim", "state").startswith("■ exited"), what="stopped")
            await pilot.press("R")
            await until(pilot, lambda: any(n.startswith(f"restarted sim in {team.agent('sim').worktree}") for n in notices(app)), what="restarted", show=lambda: notices(app))
            await until(pilot, lambda: not cell(app, "sim", "state").startswith("■ exited"), what="running again", show=lambda: cell(app, "sim", "state"))
            assert len(starts()) == 2

    asyncio.run(scenario())


def test_v_opens_the_review_screen_for_the_selected_agent(repo):
    from cockpit.ui.review import ReviewScreen

    team = Team(repo)
    for name in ("api", "web"):
        team.spawn(AgentSpec(name=name, command=py("import time; time.sleep(3600)")))

    async def scenario():
        app = CockpitApp(TeamMonitor(team))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.query_one(AgentTable).row_count == 2)
            app.query_one(AgentTable).select("web")
            await pilot.press("v")
            await until(pilot, lambda: isinstance(app.screen, ReviewScreen), what="review screen")
            assert app.screen.agent == "web"

    asyncio.run(scenario())
