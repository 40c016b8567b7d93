"""Live: the real Claude Code and Codex CLIs under cockpit; status rows show the tokens the fake API served.

The newest installed version of each CLI (tools/install_realagents.sh) runs
tests/data/usage/scenario.json; skipped, saying how to install, without it."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest

from tests.realagents.harness import CACHE, Run, installed

SCENARIO = Path(__file__).resolve().parents[1] / "data" / "usage" / "scenario.json"


def newest(cli: str):
    found = [c for c in installed() if c.cli == cli]
    if not found:
        pytest.skip(f"{cli} is not installed in {CACHE}: run tools/install_realagents.sh (or set COCKPIT_REALAGENTS_DIR)")
    return max(found, key=lambda c: tuple(int(p) for p in c.version.split(".") if p.isdigit()))


@pytest.mark.parametrize("cli", ["claude", "codex"])
def test_a_real_agents_status_row_has_the_tokens_its_api_served(make_repo, tmp_path, monkeypatch, cli):
    found = newest(cli)
    monkeypatch.setenv("PATH", f"{found.bin}:{os.environ['PATH']}")
    spec = json.loads(SCENARIO.read_text(encoding="utf-8"))
    repo = make_repo(f"repo-{cli}", {"README.md": "# demo\n", **spec["files"]})
    with contextlib.ExitStack() as stack:
        run = stack.enter_context(Run(found, spec, repo, tmp_path / cli))
        run.drive()
        served = [json.loads(line) for line in (tmp_path / cli / "api.jsonl").read_text().splitlines()]
        main = [e["usage"] for e in served if "usage" in e and e.get("turn") is not None]  # side requests are not the session's
        prompt_kinds = ("input", "cache_read", "cache_write") if cli == "claude" else ("input", "cache_read")  # OpenAI has no cache writes
        expected = (sum(u[k] for u in main for k in prompt_kinds), sum(u["output"] for u in main))

        def current():
            return next(r for r in run.monitor.snapshot() if r.name == run.name)

        run.wait(lambda: (current().usage.input_tokens, current().usage.output_tokens) == expected, timeout=15, what=f"usage {expected}")
        row = current()
    assert row.usage.source == {"claude": "claude-transcript", "codex": "codex-session"}[cli]
    assert row.started_at > 0 and row.working_s > 0
