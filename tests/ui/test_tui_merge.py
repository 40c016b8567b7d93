"""The merge screen against real repositories and agent worktrees.

No tmux (nothing is running) except in the last test, where a running agent is
left out until included and is told about the conflict it is handed back.
"""

from __future__ import annotations

import asyncio

from textual.widgets import Input

from cockpit.agents.layout import AgentSpec
from cockpit.agents.team import Team
from cockpit.mergeq import agent_states
from cockpit.recording.cast import iter_jsonl
from cockpit.ui.dialogs import ConfirmScreen, HelpScreen, PromptScreen
from cockpit.ui.merge import MergeScreen
from cockpit.ui.merge_dialogs import CleanupScreen
from cockpit.ui.merge_table import QueueTable

from tests.merge_helpers import APP, Agents, assert_no_merge_state, edit_line, git, lines, tip
from tests.merge_ui_helpers import (
    SIZE,
    cell,
    cockpit,
    log_text,
    open_merge,
    rows,
    select,
    set_merge_test,
    shop,
    shown_actions,
    text,
    until,
    wait_settled,
)
from tests.support import eventually, py


def run(scenario) -> None:
    asyncio.run(scenario())


def test_reordering_by_keys_updates_the_rehearsal(make_repo):
    repo, _agents = shop(make_repo)

    async def scenario():
        app = cockpit(repo)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_merge(pilot)
            # clean branches first; of the two that conflict the smaller (web) goes first; tests after api
            assert rows(screen) == ["docs", "web", "api", "tests"]
            assert "clean" == cell(screen, "docs", "why")
            assert cell(screen, "web", "why").startswith("conflicts with api in app.py whichever goes first")
            assert cell(screen, "tests", "why") == "after api"
            assert cell(screen, "web", "rehearsal") == "✓ clean"
            assert cell(screen, "api", "rehearsal") == "✗ app.py"
            assert cell(screen, "tests", "rehearsal") == "· after stop ✓"
            assert "stops at step 3 (api conflicts in app.py)" in text(screen, "#merge-status")
            assert "order: suggested" in text(screen, "#merge-status")

            await pilot.click(QueueTable, offset=(8, 3))  # the header, then docs, web, api
            await pilot.pause()
            assert screen.selected == "api" and text(screen, "#merge-detail").startswith("api  cockpit/api")
            await pilot.press("shift+up")
            await wait_settled(pilot, screen)
            assert rows(screen) == ["docs", "api", "web", "tests"]
            assert screen.selected == "api"  # the cursor stays on the moved branch
            assert cell(screen, "api", "rehearsal") == "✓ clean"
            assert cell(screen, "web", "rehearsal") == "✗ app.py"
            assert cell(screen, "api", "why").startswith("suggested #3: conflicts with web")
            assert "stops at step 3 (web conflicts in app.py)" in text(screen, "#merge-status")
            assert "order: yours" in text(screen, "#merge-status")

            # keys faster than the rehearsal: the screen ends up showing the rehearsal of the final order
            for key in ["K", "J", "J", "J", "K"]:
                await pilot.press(key)
            await wait_settled(pilot, screen)
            assert rows(screen) == ["docs", "web", "api", "tests"]
            assert cell(screen, "web", "rehearsal") == "✓ clean" and cell(screen, "api", "rehearsal") == "✗ app.py"

            await select(pilot, screen, "docs")
            await pilot.press("shift+down", "shift+down", "shift+down")
            await wait_settled(pilot, screen)
            assert rows(screen) == ["web", "api", "tests", "docs"]
            assert [cell(screen, n, "rehearsal") for n in rows(screen)] == ["✓ clean", "✗ app.py", "· after stop ✓", "· after stop ✓"]

            await pilot.press("s")
            await wait_settled(pilot, screen)
            assert rows(screen) == ["docs", "web", "api", "tests"]
            assert "order: suggested" in text(screen, "#merge-status")

    run(scenario)


def test_dependency_violation_is_shown_and_refused(make_repo):
    repo, agents = shop(make_repo)

    async def scenario():
        app = cockpit(repo)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_merge(pilot)
            assert text(screen, "#merge-problems") == ""
            await select(pilot, screen, "tests")
            await pilot.press("shift+up", "shift+up")
            await wait_settled(pilot, screen)
            assert rows(screen) == ["docs", "tests", "web", "api"]
            problems = text(screen, "#merge-problems")
            assert "cannot be merged" in problems and "tests must land after api: put api before tests" in problems
            assert screen.query_one("#merge-problems").display

            before = tip(repo, "main")
            await pilot.press("m")
            await pilot.pause()
            assert app.screen is screen  # no confirmation offered for an order that cannot run
            assert tip(repo, "main") == before

            # leaving api out entirely is a violation too
            await pilot.press("s")
            await wait_settled(pilot, screen)
            assert text(screen, "#merge-problems") == ""
            await select(pilot, screen, "api")
            await pilot.press("space")
            await wait_settled(pilot, screen)
            assert "tests must land after api" in text(screen, "#merge-problems")
            assert cell(screen, "api", "pos") == "–" and "left out by you" in cell(screen, "api", "why")

    run(scenario)


def test_include_and_exclude(make_repo):
    repo, agents = shop(make_repo)
    agents.add("wip", {"wip.py": lines(2, "w")})
    agents.write("wip", {"wip.py": lines(3, "changed")})  # uncommitted work on top

    async def scenario():
        app = cockpit(repo)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_merge(pilot)
            assert rows(screen) == ["docs", "web", "api", "tests", "wip"]
            assert cell(screen, "wip", "state") == "✎ uncommitted" and cell(screen, "wip", "pos") == "–"
            assert cell(screen, "wip", "why") == "uncommitted changes — commit them (`cockpit merge commit wip -m …`)"
            assert "1 left out" in text(screen, "#merge-status")

            # a ready branch out and back in: it returns to its suggested place
            await select(pilot, screen, "web")
            await pilot.press("space")
            await wait_settled(pilot, screen)
            assert rows(screen)[:3] == ["docs", "api", "tests"] and cell(screen, "web", "pos") == "–"
            assert cell(screen, "api", "rehearsal") == "✓ clean"  # nothing conflicts with it any more
            assert "Rehearsal: ✓ all 3 step(s) merge cleanly" in text(screen, "#merge-status")
            await pilot.press("space")
            await wait_settled(pilot, screen)
            assert rows(screen)[:4] == ["docs", "web", "api", "tests"]

            # the dirty one only when asked: re-planned with it included
            await select(pilot, screen, "wip")
            await pilot.press("space")
            await wait_settled(pilot, screen)
            assert "wip" in screen.view.order and cell(screen, "wip", "pos") != "–"
            assert cell(screen, "wip", "state") == "✎ uncommitted"
            assert cell(screen, "wip", "rehearsal") != "—"
            await pilot.press("space")
            await wait_settled(pilot, screen)
            assert "wip" not in screen.view.order and cell(screen, "wip", "pos") == "–"

    run(scenario)


def test_commit_a_dirty_worktree_from_the_screen(make_repo):
    repo, agents = shop(make_repo)
    agents.add("wip", {"wip.py": lines(2, "w")})
    agents.write("wip", {"wip.py": lines(3, "changed"), "new.txt": "untracked\n"})

    async def scenario():
        app = cockpit(repo)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_merge(pilot)
            await select(pilot, screen, "docs")
            await pilot.press("c")  # docs has nothing uncommitted: the key does nothing
            await pilot.pause()
            assert app.screen is screen
            await select(pilot, screen, "wip")
            await pilot.press("c")
            prompt = await until(pilot, lambda: isinstance(app.screen, PromptScreen) and app.screen)
            prompt.query_one(Input).value = "wip: finish the widget"
            await pilot.press("enter")
            await until(pilot, lambda: "committed wip's work" in log_text(screen), what="commit reported")
            await wait_settled(pilot, screen)
            assert cell(screen, "wip", "state") == "✓ ready" and "wip" in screen.view.order
            assert git(agents.worktree("wip"), "log", "-1", "--format=%s") == "wip: finish the widget"
            assert git(agents.worktree("wip"), "status", "--porcelain") == ""

    run(scenario)


def test_merge_from_the_screen_lands_branches_reports_and_cleans_up(make_repo):
    repo, agents = shop(make_repo)
    set_merge_test(repo, "python3 -c \"import pathlib; print('checked', sorted(p.name for p in pathlib.Path('.').iterdir() if p.suffix == '.py'))\"")

    async def scenario():
        app = cockpit(repo)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_merge(pilot)
            assert "Test after each step: python3 -c" in text(screen, "#merge-status")
            await select(pilot, screen, "web")
            await pilot.press("space")  # web conflicts with api: leave it for later
            await wait_settled(pilot, screen)
            assert screen.view.order == ["docs", "api", "tests"]
            await pilot.press("m")
            confirm = await until(pilot, lambda: isinstance(app.screen, ConfirmScreen) and app.screen)
            assert "Merge 3 branch(es) into main: docs → api → tests?" in confirm.question
            await pilot.press("y")
            await until(pilot, lambda: "✓ Merged 3 branch(es) into main" in log_text(screen), what="report", show=lambda: log_text(screen))
            await wait_settled(pilot, screen)
            log = log_text(screen)
            assert "[1/3] docs: testing (python3 -c" in log and "[3/3] tests: ✓ merged" in log
            assert "1. docs   ✓ landed" in log and "3. tests  ✓ landed" in log
            assert "→ d cleans up the merged agents (docs, api, tests)" in log
            for path in ("docs/guide.md", "api.py", "tests/test_api.py"):
                assert git(repo, "cat-file", "-e", f"main:{path}") == ""
            assert (repo / "api.py").exists()  # main is checked out here: its files moved too
            assert_no_merge_state(repo)
            # re-planned: what landed has nothing left to merge; web now conflicts with main itself
            assert rows(screen) == ["web"]
            assert cell(screen, "web", "conflicts").startswith("main")

            assert "cleanup" in shown_actions(screen)
            await pilot.press("d")
            offer = await until(pilot, lambda: isinstance(app.screen, CleanupScreen) and app.screen)
            assert [c.agent for c in offer.candidates if c.ok] == ["docs", "api", "tests"]
            await pilot.press("y")
            await until(pilot, lambda: log_text(screen).count("removed — branch kept at refs/cockpit/archive/") == 3, what="cleanup report", show=lambda: log_text(screen))
            await wait_settled(pilot, screen)
            assert {r.name for r in agents.records()} == {"web"}
            for name in ("docs", "api", "tests"):
                assert not agents.worktree(name).exists()
                assert git(repo, "for-each-ref", f"refs/cockpit/archive/{name}/") != ""
            assert "cleanup" not in shown_actions(screen)

    run(scenario)


def test_conflict_stop_shows_step_and_files_and_sends_back(make_repo):
    repo, agents = shop(make_repo)

    async def scenario():
        app = cockpit(repo)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_merge(pilot)
            await select(pilot, screen, "tests")
            await pilot.press("space")
            await wait_settled(pilot, screen)
            assert screen.view.order == ["docs", "web", "api"]
            await pilot.press("m")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("y")
            await until(pilot, lambda: "Stopped at step 3" in log_text(screen), what="report", show=lambda: log_text(screen))
            await wait_settled(pilot, screen)
            log = log_text(screen)
            assert "[3/3] api: ✗ conflicts in app.py" in log
            assert "✗ Stopped at step 3: api conflicts in app.py; main now has the first 2 step(s) (docs, web)." in log
            assert "3. api   ✗ conflicts in app.py" in log
            assert "→ b on api hands the conflict back to its agent." in log
            assert git(repo, "show", "main:app.py").splitlines()[4] == "web 5"
            assert_no_merge_state(repo)

            # api now conflicts with main itself: b hands it back (api is not running: nobody to tell)
            await select(pilot, screen, "api")
            assert cell(screen, "api", "conflicts").startswith("main")
            assert "b hands it back to its agent" in text(screen, "#merge-detail")
            assert "send_back" in shown_actions(screen)
            await pilot.press("b")
            await until(pilot, lambda: "↩ api: conflict in app.py left in its worktree" in log_text(screen), what="sent back", show=lambda: log_text(screen))
            await wait_settled(pilot, screen)
            assert "it is not running, so tell it when it is" in log_text(screen)
            assert git(agents.worktree("api"), "rev-parse", "MERGE_HEAD") == tip(repo, "main")
            assert cell(screen, "api", "state") == "⇄ resolving" and cell(screen, "api", "pos") == "–"

    run(scenario)


def test_failing_test_all_or_nothing_and_the_test_command_from_the_screen(make_repo):
    repo, agents = shop(make_repo)

    async def scenario():
        app = cockpit(repo)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_merge(pilot)
            assert "Test after each step: none" in text(screen, "#merge-status")
            await pilot.press("t")
            prompt = await until(pilot, lambda: isinstance(app.screen, PromptScreen) and app.screen)
            prompt.query_one(Input).value = "python3 -c \"import os, sys; print('checking'); sys.exit('web broke it' if os.path.exists('web') else 0)\""
            await pilot.press("enter")
            await pilot.pause()
            assert "Test after each step: python3 -c" in text(screen, "#merge-status")
            await pilot.press("a")
            await pilot.pause()
            assert "all-or-nothing: on" in text(screen, "#merge-status")
            before = tip(repo, "main")
            await pilot.press("m")
            confirm = await until(pilot, lambda: isinstance(app.screen, ConfirmScreen) and app.screen)
            assert "All-or-nothing: if any step fails, main stays where it is." in confirm.question
            await pilot.press("y")
            await until(pilot, lambda: "Stopped at step 2" in log_text(screen), what="report", show=lambda: log_text(screen))
            await wait_settled(pilot, screen)
            log = log_text(screen)
            assert "the test failed after merging web; main was not moved" in log
            assert "2. web    ✗ the test failed; the last lines of its output:" in log
            assert "│ checking" in log and "│ web broke it" in log
            assert "1. docs   ✓ merged, not landed (all-or-nothing)" in log
            assert tip(repo, "main") == before
            assert rows(screen)[:3] == ["docs", "web", "api"]  # nothing landed: the same queue again
            assert "cleanup" not in shown_actions(screen)

    run(scenario)


def test_nothing_to_merge_and_back_to_the_cockpit(make_repo):
    repo = make_repo("shop", {"README.md": "# shop\n"})
    Agents(repo).add("idle")  # a branch with no commits of its own

    async def scenario():
        app = cockpit(repo)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_merge(pilot)
            assert rows(screen) == []
            assert "Nothing to merge: no agent branch has commits main lacks." in text(screen, "#merge-detail")
            assert "nothing to merge: idle" in text(screen, "#merge-status")
            await pilot.press("m")
            await pilot.pause()
            assert app.screen is screen
            await pilot.press("question_mark")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is screen, what="help closed, merge screen still open")
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, MergeScreen), what="back to the cockpit")

    run(scenario)


def test_working_agent_is_left_out_until_included_and_is_told_what_it_gets_back(make_repo, monkeypatch):
    monkeypatch.setenv("COCKPIT_LOG_SENT", "1")  # events.jsonl keeps sent text only when asked
    repo = make_repo("shop", {"README.md": "# shop\n", "app.py": APP})
    team = Team(repo)
    team.spawn(AgentSpec(name="web", command=py("import time; print('ready', flush=True); time.sleep(3600)")))
    eventually(lambda: agent_states(team).get("web") == "working", what="web working")
    agents = Agents(repo)
    agents.commit("web", {"app.py": edit_line(APP, 5, "web 5")})
    agents.add("api", {"app.py": edit_line(APP, 5, "api 5"), "api.py": lines(10, "api")})

    async def scenario():
        app = cockpit(repo)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_merge(pilot)
            assert rows(screen) == ["api", "web"]
            assert cell(screen, "web", "state") == "● working" and cell(screen, "web", "pos") == "–"
            assert cell(screen, "web", "why") == "working: its turn is not over"
            assert cell(screen, "web", "conflicts") == "api" and cell(screen, "api", "conflicts") == "web"

            await select(pilot, screen, "web")
            await pilot.press("space")
            await wait_settled(pilot, screen)
            assert screen.view.order == ["web", "api"]  # included: smaller, so it goes first
            assert cell(screen, "web", "state") == "● working"
            assert cell(screen, "web", "rehearsal") == "✓ clean" and cell(screen, "api", "rehearsal") == "✗ app.py"
            await pilot.press("space")
            await wait_settled(pilot, screen)
            assert screen.view.order == ["api"]

            await pilot.press("m")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            await pilot.press("y")
            await until(pilot, lambda: "✓ Merged 1 branch(es) into main" in log_text(screen), what="merged", show=lambda: log_text(screen))
            await wait_settled(pilot, screen)
            await select(pilot, screen, "web")
            assert cell(screen, "web", "conflicts") == "main"
            await pilot.press("b")
            await until(pilot, lambda: "told it:" in log_text(screen), what="told", show=lambda: log_text(screen))
            sent = [e["text"] for e in iter_jsonl(team.paths.events("web")) if e["kind"] == "send"]
            assert len(sent) == 1 and "conflicts in app.py" in sent[0] and "cockpit/web" in sent[0]
            assert git(agents.worktree("web"), "rev-parse", "MERGE_HEAD") == tip(repo, "main")

    run(scenario)
