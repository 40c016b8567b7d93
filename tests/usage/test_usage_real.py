"""Usage read from a real Claude Code transcript and a real Codex session file.

Both were captured with tests/data/usage/capture.py: the real CLIs ran scenario.json
against the fake API, which served different token counts on every turn (its log is
kept next to each file as `.served.jsonl`)."""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from cockpit.agents.accounting import Accounting
from cockpit.agents.profiles import get_profile
from cockpit.agents.store import AgentRecord
from cockpit.usage import tail
from cockpit.usage.meter import UsageMeter, meter_for
from cockpit.usage.model import NO_USAGE
from cockpit.usage.sources import SOURCES, Where

DATA = Path(__file__).resolve().parents[1] / "data" / "usage"
CLAUDE = DATA / "claude-2.1.332.jsonl"
CODEX = DATA / "codex-0.171.0.jsonl"
INPUT = {"claude": 19008, "codex": 15827}  # what the fake API served (see served())


def served(capture: Path, main_only: bool = True) -> dict[str, int]:
    """What the fake API reported for the CLI's main requests (side requests have turn None)."""
    entries = [json.loads(line) for line in capture.with_suffix(".served.jsonl").read_text().splitlines()]
    totals = {"input": 0, "output": 0, "cache_read": 0, "cache_write": 0}
    for entry in entries:
        if entry["turn"] is not None or not main_only:
            for key in totals:
                totals[key] += entry["usage"][key]
    return totals


def claude_home(home: Path, worktree: Path, text: str) -> Path:
    folder = home / ".claude" / "projects" / re.sub(r"[^A-Za-z0-9]", "-", str(worktree))
    folder.mkdir(parents=True)
    (folder / "fde696ab-fbc9-4440-a014-d62fa76b94c7.jsonl").write_text(text)
    return folder


def codex_home(codex: Path, worktree: Path, text: str, name: str = "rollout-2026-12-01T23-08-59-x.jsonl") -> Path:
    lines = text.splitlines(keepends=True)
    meta = json.loads(lines[0])
    meta["payload"]["cwd"] = str(worktree)
    day = codex / "sessions" / "2026" / "12" / "01"
    day.mkdir(parents=True, exist_ok=True)
    (day / name).write_text(json.dumps(meta) + "\n" + "".join(lines[1:]))
    return day / name


def read(source: str, where: Where) -> UsageMeter:
    meter = UsageMeter(SOURCES[source], where)
    meter.read()
    return meter


def where(worktree: Path, **env: str) -> Where:
    return Where(worktree, env, since=1796166000.0)  # 2026-12-01, the day of the capture


# claude-opus-5-5 (2.1.332) and claude-opus-4-8 (2.1.197) are not in the price table: the
# cost is the one Claude Code wrote itself (its cost-state, 2.1.332), else none
@pytest.mark.parametrize(("capture", "cost"), [(CLAUDE, 0.0394404), (DATA / "claude-2.1.197.jsonl", None)])
def test_claude_transcript_tokens_and_the_cost_claude_code_reported(tmp_path, capture, cost):
    worktree = tmp_path / "wt" / "agent_1.x"
    claude_home(tmp_path / "home", worktree, capture.read_text())
    usage = read("claude", where(worktree, HOME=str(tmp_path / "home"))).usage()
    fed = served(capture)
    assert fed["input"] + fed["cache_read"] + fed["cache_write"] == 19008 and fed["output"] == 648
    assert usage.input_tokens == 19008  # every response counted once, though written once per content block
    assert usage.output_tokens == 648  # the final counts (message_delta), not message_start's
    assert usage.cost_usd == cost
    assert usage.source == "claude-transcript"


def test_claude_transcript_priced_by_the_table_and_config_dir_respected(tmp_path):
    worktree = tmp_path / "wt"
    text = CLAUDE.read_text().replace('"claude-opus-5-5"', '"claude-sonnet-4-5-20250929"')
    claude_home(tmp_path / "config", worktree, text)
    meter = read("claude", where(worktree, HOME=str(tmp_path / "nowhere"), CLAUDE_CONFIG_DIR=str(tmp_path / "config" / ".claude")))
    usage = meter.usage()
    # $3 in, $15 out, $0.30 cache read, $3.75 cache write per Mtok
    assert usage.cost_usd == round((1950 * 3 + 648 * 15 + 13877 * 0.3 + 3181 * 3.75) / 1e6, 9) == 0.03166185
    last = max(json.loads(line).get("timestamp") or "" for line in text.splitlines())
    end = datetime.fromisoformat(last.replace("Z", "+00:00")).timestamp()
    assert meter.burn_usd_per_min(end + 5, started_at=end - 30) == usage.cost_usd  # all of it in the last minute
    assert meter.burn_usd_per_min(end + 600, started_at=end - 30) == 0.0  # nothing for ten minutes


@pytest.mark.parametrize("capture", [CODEX, DATA / "codex-0.169.0.jsonl"])
def test_codex_session_tokens_and_no_cost_for_an_unknown_model(tmp_path, capture):
    worktree = tmp_path / "wt"
    codex_home(tmp_path / "codex", worktree, capture.read_text())
    usage = read("codex", where(worktree, HOME=str(tmp_path), CODEX_HOME=str(tmp_path / "codex"))).usage()
    fed = served(capture)
    assert fed["input"] + fed["cache_read"] == 15827 and fed["output"] == 648  # OpenAI counts cached tokens in input
    assert (usage.input_tokens, usage.output_tokens, usage.source) == (15827, 648, "codex-session")  # the side request is not the session's
    assert usage.cost_usd is None  # "mock-model" has no price: no guess


def test_codex_session_priced_and_other_folders_sessions_left_out(tmp_path):
    worktree = tmp_path / "wt"
    text = CODEX.read_text().replace('"model":"mock-model"', '"model":"gpt-5-codex"')
    codex_home(tmp_path / ".codex", worktree, text)
    codex_home(tmp_path / ".codex", tmp_path / "other", text, name="rollout-2026-12-01T23-09-00-y.jsonl")  # another agent's
    usage = read("codex", where(worktree, HOME=str(tmp_path))).usage()
    assert usage.input_tokens == 15827
    assert usage.cost_usd == round((1950 * 1.25 + 13877 * 0.125 + 648 * 10) / 1e6, 9) == 0.010652125


@pytest.mark.parametrize(("source", "capture"), [("claude", CLAUDE), ("codex", CODEX)])
def test_reads_are_incremental_and_an_unchanged_file_is_not_opened(tmp_path, monkeypatch, source, capture):
    worktree = tmp_path / "wt"
    lines = capture.read_text().splitlines(keepends=True)
    half = len(lines) // 2
    if source == "claude":
        file = claude_home(tmp_path, worktree, "") / "fde696ab-fbc9-4440-a014-d62fa76b94c7.jsonl"
        file.write_text("".join(lines[:half]) + lines[half][:40])  # a line still being written
        env = {"HOME": str(tmp_path)}
    else:
        file = codex_home(tmp_path / "c", worktree, "".join(lines[:half]) + lines[half][:40])
        env = {"CODEX_HOME": str(tmp_path / "c")}
    meter = read(source, where(worktree, **env))
    early = meter.usage()
    with open(file, "a") as fh:
        fh.write(lines[half][40:] + "".join(lines[half + 1 :]))
    meter.read()
    assert (early.input_tokens or 0) < meter.usage().input_tokens == INPUT[source]

    opened = []
    real_open = open
    monkeypatch.setattr(tail, "open", lambda *a, **k: opened.append(a[0]) or real_open(*a, **k), raising=False)
    meter.read()
    assert opened == []  # same stat: nothing read
    assert meter.usage().input_tokens == INPUT[source]


def test_a_rewritten_file_is_counted_afresh(tmp_path):
    worktree = tmp_path / "wt"
    folder = claude_home(tmp_path, worktree, CLAUDE.read_text())
    meter = read("claude", where(worktree, HOME=str(tmp_path)))
    file = folder / "fde696ab-fbc9-4440-a014-d62fa76b94c7.jsonl"
    tmp = file.with_suffix(".new")
    kept = [line for line in CLAUDE.read_text().splitlines(keepends=True) if '"msg_000007"' not in line and '"cost-state"' not in line]
    tmp.write_text("".join(kept))
    shutil.move(tmp, file)  # a new inode, as an atomic rewrite makes
    meter.read()
    assert meter.usage().output_tokens == 648 - 342  # the last response is gone, nothing counted twice


def test_no_usage_for_a_profile_whose_cli_writes_none(tmp_path):
    assert get_profile("sim").usage is None and get_profile("aider").usage is None
    assert meter_for(None, where(tmp_path)) is None
    record = AgentRecord(name="a", profile="sim", argv=["x"], branch="b", base="main", worktree=str(tmp_path))
    accounting = Accounting(get_profile("sim"), record, tmp_path)
    assert accounting.usage(0.0) == NO_USAGE and accounting.burn_usd_per_min(0.0) is None
    assert NO_USAGE.model_dump() == {"input_tokens": None, "output_tokens": None, "cost_usd": None, "source": None}


def test_a_claude_agent_without_a_transcript_yet_has_no_figures(tmp_path):
    assert read("claude", where(tmp_path / "wt", HOME=str(tmp_path))).usage() == NO_USAGE


def test_files_untouched_since_before_the_agent_existed_are_not_its(tmp_path):
    worktree = tmp_path / "wt"
    folder = claude_home(tmp_path, worktree, CLAUDE.read_text())
    created = (folder / "fde696ab-fbc9-4440-a014-d62fa76b94c7.jsonl").stat().st_mtime + 60
    meter = UsageMeter(SOURCES["claude"], Where(worktree, {"HOME": str(tmp_path)}, since=created))
    meter.read()
    assert meter.usage() == NO_USAGE  # an earlier agent's conversation in a reused worktree
