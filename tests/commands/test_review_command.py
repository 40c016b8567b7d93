"""`cockpit review NAME …`: the verdict, the comments, and clear errors for bad input."""

from __future__ import annotations

import pytest

from cockpit.agents.layout import AgentSpec
from cockpit.agents.team import Team
from cockpit.recording.cast import iter_jsonl
from cockpit.review.store import Reviews, ReviewState

from tests.conftest import run_git
from tests.support import agent_row, cli, eventually, py


@pytest.fixture
def team(repo) -> Team:
    team = Team(repo)
    team.spawn(AgentSpec(name="api", command=py("import time; time.sleep(3600)"), task="fix the api"))
    return team


def review(capsys, team, *args):
    return cli(capsys, "review", "api", *args, "--repo", str(team.repo))


def test_alone_it_prints_the_state_and_no_comments(capsys, team):
    code, out, err = review(capsys, team)
    tip = run_git(team.repo, "rev-parse", "cockpit/api")
    assert (code, err) == (0, "")
    assert out == f"api: unreviewed at {tip[:10]}\nno comments\n"


def test_comments_are_queued_and_listed(capsys, team):
    code, out, err = review(capsys, team, "--comment", "src/app.py:12", "rename x", "--comment", "README.md:3", "say why\nin two lines")
    assert (code, err) == (0, "")
    assert "2 comments queued — `cockpit review api --send` types them into the agent" in out
    code, out, _ = review(capsys, team)
    assert out.splitlines()[1:] == [
        "  src/app.py:12  queued                  rename x",
        "  README.md:3    queued                  say why",
        "                                         in two lines",
        "2 comments queued — `cockpit review api --send` types them into the agent",
    ]


def test_approve_then_request_changes(capsys, team):
    code, out, _ = review(capsys, team, "--approve")
    assert code == 0 and out.startswith("api: approved at ")
    code, out, _ = review(capsys, team, "--request-changes", "add tests")
    assert code == 0 and out.startswith("api: changes requested at ") and "1 comment queued" in out
    assert Reviews(team).summary("api").state == ReviewState.CHANGES_REQUESTED
    assert [c.text for c in Reviews(team).comments("api")] == ["add tests"]


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("src/app.py", "--comment 'src/app.py': expected PATH:LINE"),
        (":12", "--comment ':12': expected PATH:LINE"),
        ("src/app.py:x", "--comment 'src/app.py:x': the line 'x' is not a line number (from 1)"),
        ("src/app.py:0", "--comment 'src/app.py:0': the line '0' is not a line number (from 1)"),
        ("/etc/passwd:1", "--comment '/etc/passwd:1': '/etc/passwd' is not a path inside the repository"),
        ("../up.py:1", "--comment '../up.py:1': '../up.py' is not a path inside the repository"),
    ],
)
def test_a_bad_path_line_is_a_clear_error_and_nothing_is_queued(capsys, team, where, message):
    code, out, err = review(capsys, team, "--comment", "ok.py:1", "fine", "--comment", where, "text")
    assert code == 2 and out == ""
    assert err.splitlines()[0] == f"cockpit: {message}"
    assert Reviews(team).comments("api") == []


def test_other_errors(capsys, team):
    code, _, err = cli(capsys, "review", "nope", "--approve", "--repo", str(team.repo))
    assert code == 2 and "no agent named 'nope'" in err
    code, _, err = review(capsys, team, "--send")
    assert code == 2 and "no comments waiting to be sent" in err
    with pytest.raises(SystemExit):  # argparse: one verdict at a time
        review(capsys, team, "--approve", "--request-changes", "both")
    assert "not allowed with argument" in capsys.readouterr().err


def test_send_to_a_stopped_agent_keeps_the_comments_queued(capsys, team):
    assert team.stop("api")
    eventually(lambda: (pane := team.panes().get("api")) is not None and pane.dead, what="api exits")
    code, _, err = review(capsys, team, "--comment", "a.py:1", "fix", "--send")
    assert code == 2 and "agent api has exited" in err
    assert Reviews(team).summary("api").comments == 1


def test_send_types_the_comments_into_a_running_agent(capsys, repo, tmp_path):
    inbox = tmp_path / "inbox.jsonl"
    team = Team(repo)
    team.spawn(AgentSpec(name="web", profile="sim", task="Add search", env={"SIM_SCENARIO": "work", "SIM_SPEED": "8", "SIM_INBOX": str(inbox)}))
    eventually(lambda: agent_row(capsys, repo, "web")["state"] == "idle", timeout=60, what="the sim agent at its prompt")
    code, out, err = cli(capsys, "review", "web", "--comment", "src/web.py:4", "use a set", "--send", "--repo", str(repo))
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "sent to web as one message"
    texts = eventually(lambda: [item["text"] for item in iter_jsonl(inbox)], what="the message at the agent")
    assert texts == ["Review of your branch cockpit/web (1 comment). Please address each and commit:\n- src/web.py:4: use a set"]
