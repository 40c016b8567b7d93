"""Sending review comments: one message with file:line references reaches the agent verbatim and it starts working.

The simulated agent records what it reads (SIM_INBOX); the real Claude Code and Codex,
where installed (tools/install_realagents.sh), are checked through their own session files."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.agents.layout import AgentSpec
from cockpit.agents.team import Team
from cockpit.recording.cast import iter_jsonl
from cockpit.review.comments import message
from cockpit.review.store import Comment, Reviews

from tests.realagents.harness import CACHE, Run, installed
from tests.support import agent_row, eventually


def received(inbox) -> list[str]:
    return [item["text"] for item in iter_jsonl(inbox)]


def test_comments_reach_the_simulated_agent_verbatim_as_one_message_and_it_turns_working(repo, tmp_path, capsys):
    inbox = tmp_path / "inbox.jsonl"
    team = Team(repo)
    team.spawn(AgentSpec(name="api", profile="sim", task="Add pagination", env={"SIM_SCENARIO": "work", "SIM_SPEED": "2", "SIM_INBOX": str(inbox)}))
    eventually(lambda: agent_row(capsys, repo, "api")["state"] == "idle", timeout=60, what="the sim agent at its prompt")

    reviews = Reviews(team)
    reviews.add_comment("api", "src/api.py", 12, "rename `x` to `page` — and don't $(touch pwned)")
    reviews.add_comment("api", "README.md", None, "document the flag:\n  --page-size N\n\nwith an example")
    reviews.request_changes("api", "add a test for an empty page")
    sent = reviews.send("api")

    assert sent == (
        "Review of your branch cockpit/api (3 comments). Please address each and commit:\n"
        "- src/api.py:12: rename `x` to `page` — and don't $(touch pwned)\n"
        "- README.md: document the flag:\n"
        "    --page-size N\n"
        "\n"
        "  with an example\n"
        "- add a test for an empty page"
    )
    assert eventually(lambda: received(inbox), what="the message at the agent") == [sent]
    eventually(lambda: agent_row(capsys, repo, "api")["state"] == "working", timeout=30, what="the agent working on it")
    assert not (repo / "pwned").exists() and not (team.paths.worktree("api") / "pwned").exists()

    kept = reviews.comments("api")
    assert len(kept) == 3 and all(c.sent_at for c in kept)  # still there after sending
    assert reviews.summary("api").comments == 0
    events = [json.loads(line) for line in team.paths.events("api").read_text().splitlines()]
    assert [e for e in events if e["kind"] == "send"][-1]["review"] is True


def test_a_single_comment_reads_as_one_item():
    comment = Comment(path="src/a.py", line=3, text="typo", created_at=1.0)
    assert message("cockpit/web", [comment]) == "Review of your branch cockpit/web (1 comment). Please address each and commit:\n- src/a.py:3: typo"


def strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def transcript_has(home: Path, text: str) -> bool:
    """Some record of the CLI's own session files (Claude Code's transcript, Codex's rollout) holds exactly `text`."""
    return any(text in strings(item) for file in home.rglob("*.jsonl") for item in iter_jsonl(file))


@pytest.mark.parametrize("cli", ["claude", "codex"])
def test_comments_reach_a_real_agent_cli_as_one_message(make_repo, tmp_path, monkeypatch, cli):
    """Live: the CLI's own session file records the whole message as one user message (skipped without the CLI)."""
    found = [c for c in installed() if c.cli == cli]
    if not found:
        pytest.skip(f"{cli} is not installed in {CACHE}: run tools/install_realagents.sh (or set COCKPIT_REALAGENTS_DIR)")
    newest = max(found, key=lambda c: tuple(int(p) for p in c.version.split(".") if p.isdigit()))
    monkeypatch.setenv("PATH", f"{newest.bin}:{os.environ['PATH']}")
    spec = {"prompt": "Say hi", "turns": [], "after_end": {"text": "Hi.", "delay": 0.3}}
    repo = make_repo(f"repo-{cli}")
    with Run(newest, spec, repo, tmp_path / cli) as run:
        run.wait(lambda: transcript_has(run.work / "home", "Say hi") and run.poll() == "idle", timeout=60, what="the task done, the CLI idle")
        reviews = Reviews(run.team)
        reviews.add_comment(run.name, "calc.py", 1, "rename `x` to `total` — $(no shell)")
        reviews.add_comment(run.name, "README.md", 2, "document it:\n  one\n\nwith a blank line")
        sent = reviews.send(run.name)
        run.wait(lambda: transcript_has(run.work / "home", sent), timeout=30, what="the review message in the CLI's session file")
