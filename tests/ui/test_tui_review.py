"""The review screen over a real repository: moving through the diff, comments, verdicts, and its pictures.

The cockpit's own key for it (v on the agent table) belongs to the app; these
tests push ReviewScreen(team, name) the way that key does, and open it with v
from the merge queue.  Nothing runs in tmux except in the sending test.
"""

from __future__ import annotations

import asyncio

from textual.widgets import Input, OptionList

from cockpit.agents.layout import AgentSpec
from cockpit.agents.team import Team
from cockpit.recording.cast import iter_jsonl
from cockpit.review.rows import Kind
from cockpit.review.store import Reviews, ReviewState
from cockpit.ui.dialogs import PromptScreen
from cockpit.ui.review import ReviewScreen
from cockpit.ui.review_view import DiffView

from tests.merge_helpers import APP, Agents, edit_line
from tests.merge_ui_helpers import cockpit, open_merge, select
from tests.support import agent_row, eventually, until

CODE = "def total(price, qty):\n    return price * qty\n\n\ndef tax(amount):\n    return amount * 0.2\n"


def shop(make_repo):
    """api: a committed edit of app.py, an uncommitted rewrite in prices.py, an untracked file."""
    repo = make_repo("shop", {"README.md": "# shop\n", "app.py": APP, "prices.py": CODE})
    agents = Agents(repo)
    agents.add("api", {"app.py": edit_line(edit_line(APP, 5, "api 5"), 18, "api 18")})
    agents.write("api", {"prices.py": CODE.replace("price * qty", "price * quantity").replace("0.2", "0.25"), "notes.md": "# notes\n\nread me\n"})
    return repo


def run(scenario) -> None:
    asyncio.run(scenario())


async def open_review(pilot, repo, name: str = "api") -> ReviewScreen:
    await pilot.pause()
    pilot.app.push_screen(ReviewScreen(Team(repo), name))
    screen = await until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen) and pilot.app.screen, what="review screen")
    await settled(pilot, screen)
    return screen


async def settled(pilot, screen: ReviewScreen) -> None:
    view = screen.query_one(DiffView)
    await until(pilot, lambda: screen.loaded and not screen.busy and not view.colouring, what="diff shown, coloured")
    await pilot.pause()


def cursor(screen: ReviewScreen):
    return screen.query_one(DiffView).current


def row_index(screen: ReviewScreen, text: str) -> int:
    return next(n for n, r in enumerate(screen.query_one(DiffView).rows) if r.kind == Kind.LINE and r.text == text)


def status(screen: ReviewScreen) -> str:
    return screen.query_one("#review-status").text.plain


async def comment(pilot, screen: ReviewScreen, text: str) -> None:
    await pilot.press("c")
    prompt = await until(pilot, lambda: isinstance(pilot.app.screen, PromptScreen) and pilot.app.screen, what="comment prompt")
    assert prompt.query_one(Input).has_focus  # typing goes straight into it
    for key in text:
        await pilot.press("space" if key == " " else key)
    await pilot.press("enter")
    await until(pilot, lambda: pilot.app.screen is screen, what="back on the review screen")
    await settled(pilot, screen)


def test_keys_move_hunk_to_hunk_and_file_to_file(make_repo):
    repo = shop(make_repo)

    async def scenario():
        async with cockpit(repo).run_test(size=(120, 40)) as pilot:
            screen = await open_review(pilot, repo)
            files = screen.query_one(OptionList)
            assert [str(files.get_option_at_index(i).prompt) for i in range(files.option_count)] == [
                "M app.py +2 −2",
                "A notes.md +3 −0",
                "M prices.py +2 −2",
            ]
            assert "api vs main: 3 files, +7 −4  review: unreviewed" in status(screen)
            assert "includes uncommitted work" in status(screen)
            assert cursor(screen).kind == Kind.FILE and cursor(screen).file == 0
            await pilot.press("n")
            assert cursor(screen).kind == Kind.HUNK and (cursor(screen).file, cursor(screen).hunk) == (0, 0)
            await pilot.press("n")
            assert (cursor(screen).kind, cursor(screen).hunk) == (Kind.HUNK, 1)  # app.py's second hunk
            await pilot.press("right_square_bracket")
            assert (cursor(screen).kind, cursor(screen).file) == (Kind.FILE, 1)
            await pilot.pause()
            assert files.highlighted == 1  # the file list follows the diff
            await pilot.press("right_square_bracket", "n", "down")
            assert cursor(screen).text == " def total(price, qty):"
            await pilot.press("down")
            assert cursor(screen).text == "-    return price * qty"
            await pilot.press("p")
            assert (cursor(screen).kind, cursor(screen).file) == (Kind.HUNK, 2)
            await pilot.press("left_square_bracket")
            assert (cursor(screen).kind, cursor(screen).file) == (Kind.FILE, 2)
            await pilot.press("left_square_bracket")
            assert (cursor(screen).kind, cursor(screen).file) == (Kind.FILE, 1)
            await pilot.press("end")
            assert cursor(screen).text == "+    return amount * 0.25"
            await pilot.press("home")
            assert cursor(screen).file == 0
            # choosing a file in the list shows it
            files.focus()
            files.highlighted = 2
            await pilot.press("enter")
            assert (cursor(screen).kind, cursor(screen).file) == (Kind.FILE, 2)
            assert screen.query_one(DiffView).has_focus
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(pilot.app.screen, ReviewScreen), what="review closed")

    run(scenario)


def test_a_comment_on_a_line_is_queued_and_shown_under_it(make_repo):
    repo = shop(make_repo)

    async def scenario():
        async with cockpit(repo).run_test(size=(120, 40)) as pilot:
            screen = await open_review(pilot, repo)
            view = screen.query_one(DiffView)
            line = row_index(screen, "+api 5")
            view.move_to(line)
            await comment(pilot, screen, "why 5")
            assert [(c.path, c.line, c.text, c.sent_at) for c in Reviews(Team(repo)).comments("api")] == [("app.py", 5, "why 5", None)]
            below = view.rows[line + 1]
            assert below.kind == Kind.COMMENT and below.text == "why 5"
            assert "comments: 1 queued, 0 sent" in status(screen)
            # on a hunk header: the hunk's first line; on a file header: the whole file
            view.move_to(next(n for n, r in enumerate(view.rows) if r.kind == Kind.HUNK and r.file == 2))
            await comment(pilot, screen, "hunk note")
            view.move_to(next(n for n, r in enumerate(view.rows) if r.kind == Kind.FILE and r.file == 1))
            await comment(pilot, screen, "file note")
            kept = [(c.path, c.line, c.text) for c in Reviews(Team(repo)).comments("api")]
            assert kept == [("app.py", 5, "why 5"), ("prices.py", 1, "hunk note"), ("notes.md", None, "file note")]
            assert "comments: 3 queued, 0 sent" in status(screen)
            # a removed line is about where it was, in the new file's numbering
            view.move_to(row_index(screen, "-    return price * qty"))
            assert screen.target() == ("prices.py", 2)

    run(scenario)


def test_approve_and_request_changes_show_in_the_header(make_repo):
    repo = shop(make_repo)

    async def scenario():
        async with cockpit(repo).run_test(size=(120, 40)) as pilot:
            screen = await open_review(pilot, repo)
            await pilot.press("a")
            await settled(pilot, screen)
            assert Reviews(Team(repo)).summary("api").state == ReviewState.APPROVED
            assert "review: approved" in status(screen) and screen.sub_title == "shop · approved"
            await pilot.press("r")
            prompt = await until(pilot, lambda: isinstance(pilot.app.screen, PromptScreen) and pilot.app.screen, what="prompt")
            prompt.query_one(Input).value = "add a test for tax"
            await pilot.press("enter")
            await until(pilot, lambda: pilot.app.screen is screen)
            await settled(pilot, screen)
            assert Reviews(Team(repo)).summary("api").state == ReviewState.CHANGES_REQUESTED
            assert "review: changes requested" in status(screen)
            first = screen.query_one(DiffView).rows[0]  # a comment about no file sits at the top
            assert (first.kind, first.text) == (Kind.COMMENT, "add a test for tax")

    run(scenario)


def test_sending_without_a_running_agent_says_why_and_keeps_the_comments(make_repo):
    repo = shop(make_repo)

    async def scenario():
        async with cockpit(repo).run_test(size=(120, 40)) as pilot:
            screen = await open_review(pilot, repo)
            await pilot.press("s")
            await pilot.pause()
            assert any("No queued comments" in n.message for n in pilot.app._notifications)
            screen.query_one(DiffView).move_to(row_index(screen, "+api 18"))
            await comment(pilot, screen, "and 18")
            await pilot.press("s")
            await until(pilot, lambda: any("sending failed" in n.message for n in pilot.app._notifications), what="the error")
            await settled(pilot, screen)
            assert Reviews(Team(repo)).summary("api").comments == 1
            assert "(queued)" in "".join(s.text for s in [screen.query_one(DiffView).render_line(y) for y in range(30)])

    run(scenario)


def test_send_types_the_comments_into_the_agent_and_marks_them_sent(repo, tmp_path, capsys):
    inbox = tmp_path / "inbox.jsonl"
    team = Team(repo)
    team.spawn(AgentSpec(name="api", profile="sim", task="Add pagination", env={"SIM_SCENARIO": "work", "SIM_SPEED": "2", "SIM_INBOX": str(inbox)}))
    eventually(lambda: agent_row(capsys, repo, "api")["state"] == "idle", timeout=60, what="the sim agent at its prompt")

    async def scenario():
        async with cockpit(repo).run_test(size=(120, 40)) as pilot:
            screen = await open_review(pilot, repo)
            view = screen.query_one(DiffView)
            view.move_to(next(n for n, r in enumerate(view.rows) if r.kind == Kind.LINE and r.text.startswith("+")))
            where = screen.target()
            await comment(pilot, screen, "looks off")
            await pilot.press("s")
            await until(pilot, lambda: any(n.message.startswith("Sent 1 comment") for n in pilot.app._notifications), timeout=30, what="sent")
            await settled(pilot, screen)
            assert "comments: 0 queued, 1 sent" in status(screen)
            shown = next(r for r in view.rows if r.kind == Kind.COMMENT)
            assert shown.comment.sent_at is not None  # still shown, now marked sent
            return where

    path, line = asyncio.run(scenario())
    messages = eventually(lambda: [item["text"] for item in iter_jsonl(inbox)], what="the message at the agent")
    assert messages == [f"Review of your branch cockpit/api (1 comment). Please address each and commit:\n- {path}:{line}: looks off"]


def test_v_in_the_merge_queue_reviews_the_selected_branch(make_repo):
    repo = shop(make_repo)

    async def scenario():
        async with cockpit(repo).run_test(size=(150, 40)) as pilot:
            merge = await open_merge(pilot)
            await select(pilot, merge, "api")
            await pilot.press("v")
            screen = await until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen) and pilot.app.screen, what="review screen")
            await settled(pilot, screen)
            assert screen.agent == "api" and "api vs main" in status(screen)
            await pilot.press("escape")
            await until(pilot, lambda: pilot.app.screen is merge, what="back in the merge queue")

    run(scenario)


def test_u_reads_the_diff_again(make_repo):
    repo = shop(make_repo)

    async def scenario():
        async with cockpit(repo).run_test(size=(120, 40)) as pilot:
            screen = await open_review(pilot, repo)
            Agents(repo).write("api", {"later.py": "print('done')\n"})
            await pilot.press("u")
            await settled(pilot, screen)
            files = screen.query_one(OptionList)
            assert str(files.get_option_at_index(1).prompt) == "A later.py +1 −0"
            assert "api vs main: 4 files, +8 −4" in status(screen)

    run(scenario)


def test_an_agent_whose_base_is_gone_says_so(make_repo):
    repo = shop(make_repo)
    Agents(repo).add("orphan", record_base="gone")

    async def scenario():
        async with cockpit(repo).run_test(size=(120, 40)) as pilot:
            pilot.app.push_screen(ReviewScreen(Team(repo), "orphan"))
            screen = await until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen) and pilot.app.screen.loaded and pilot.app.screen)
            await pilot.pause()
            assert status(screen) == "✗ orphan: base 'gone' is not a branch or commit — recreate the base branch or remove the agent"
            await pilot.press("c", "a")  # nothing to comment on or approve
            await pilot.pause()
            assert pilot.app.screen is screen and Reviews(Team(repo)).summary("orphan").state == ReviewState.UNREVIEWED

    run(scenario)


async def picture(pilot, screen: ReviewScreen) -> None:
    await settled(pilot, screen)
    pilot.app.clear_notifications()
    await pilot.pause()


def test_snapshot_small(snap_compare, make_repo):
    repo = shop(make_repo)

    async def run_before(pilot):
        screen = await open_review(pilot, repo)
        screen.query_one(DiffView).move_to(row_index(screen, "+api 5"))
        Reviews(Team(repo)).add_comment("api", "app.py", 5, "why 5?")
        await pilot.press("a")  # reloads the comments with the verdict
        await pilot.press("right_square_bracket", "right_square_bracket", "n", "down", "down")
        await picture(pilot, screen)

    assert snap_compare(cockpit(repo), terminal_size=(80, 24), run_before=run_before)


def test_snapshot_large(snap_compare, make_repo):
    repo = shop(make_repo)

    async def run_before(pilot):
        screen = await open_review(pilot, repo)
        screen.query_one(DiffView).move_to(row_index(screen, "+api 5"))
        await comment(pilot, screen, "why 5?")
        await picture(pilot, screen)

    assert snap_compare(cockpit(repo), terminal_size=(160, 45), run_before=run_before)
