"""Capture the usage files real Claude Code and Codex write, for tests/usage.

    .venv/bin/python -m tests.data.usage.capture [--cli claude|codex] [--version V]

Runs scenario.json (every turn reports its own token counts) with the newest (or
the given) installed CLI (tools/install_realagents.sh) under cockpit, in a throwaway repo,
tmux socket, COCKPIT_HOME and HOME, against the fake API; copies the agent's
transcript or session file here as `<cli>-<version>.jsonl` (without the lines
that only carry the system prompt and file contents: DROPPED), the counts the fake
API served as `<cli>-<version>.served.jsonl` (its log), and prints both sums.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from cockpit.usage.meter import UsageMeter
from cockpit.usage.sources import SOURCES, Where
from tools.capture_real import make_repo

from tests.realagents.harness import Run, installed

HERE = Path(__file__).resolve().parent
DROPPED = {"attachment", "api-request-shape", "api-request-blob"}  # Claude Code lines of context, not usage (~150 KB)


def pick(cli: str, version: str | None):
    found = [c for c in installed() if c.cli == cli and version in (None, c.version)]
    if not found:
        raise SystemExit(f"{cli} {version or ''} is not installed: run tools/install_realagents.sh")
    return max(found, key=lambda c: tuple(int(p) for p in c.version.split(".") if p.isdigit()))


def capture(cli_name: str, version: str | None = None) -> None:
    cli = pick(cli_name, version)
    spec = json.loads((HERE / "scenario.json").read_text(encoding="utf-8"))
    work = Path(tempfile.mkdtemp(prefix=f"usage-{cli.tag}-"))
    os.environ |= {"PATH": f"{cli.bin}:{os.environ['PATH']}", "COCKPIT_SOCKET": f"usage-cap-{os.getpid()}", "COCKPIT_HOME": str(work / "cockpit-home"),
                   "HOME": str(work / "home"), "GIT_CONFIG_NOSYSTEM": "1"}
    for var in ("TMUX", "TMUX_PANE"):
        os.environ.pop(var, None)
    (work / "home").mkdir()
    repo = make_repo(work / "repo", spec.get("files", {}))
    with Run(cli, spec, repo, work) as run:
        run.drive()
        record = run.team.agent(run.name)
        where = Where(Path(record.worktree).resolve(), record.env, record.created_at)
        files = SOURCES[cli_name].files(where)
        meter = UsageMeter(SOURCES[cli_name], where)
        meter.read()
        print(f"{cli.tag}: files {[str(f) for f in files]}")
        print(f"{cli.tag}: read {meter.usage()}")
    served = [entry for line in (work / "api.jsonl").read_text(encoding="utf-8").splitlines() if "usage" in (entry := json.loads(line))]
    (HERE / f"{cli.tag}.served.jsonl").write_text("".join(json.dumps(e) + "\n" for e in served), encoding="utf-8")
    for entry in served:
        print(f"{cli.tag}: served turn {entry.get('turn')}: {entry['usage']}")
    for i, file in enumerate(files):
        target = HERE / f"{cli.tag}{'' if i == 0 else f'-{i}'}.jsonl"
        lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
        target.write_text("".join(line for line in lines if json.loads(line).get("type") not in DROPPED), encoding="utf-8")
        print(f"{cli.tag}: kept {target.name} ({target.stat().st_size} bytes), worktree {where.worktree}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", choices=["claude", "codex"], action="append")
    parser.add_argument("--version", help="this version of the CLI, not the newest")
    args = parser.parse_args()
    for cli in args.cli or ["claude", "codex"]:
        capture(cli, args.version)


if __name__ == "__main__":
    main()
