"""Capture real-agent recordings for tests/data/realagents.

    python -m tools.capture_real SCENARIO… [--cli claude|codex|opencode] [--version V] [--out DIR]

Runs each scenario (tests/realagents/scenarios/NAME.json) with every installed
CLI version (tools/install_realagents.sh) under cockpit, in a throwaway repo,
tmux socket and COCKPIT_HOME, against the fake API, and copies the agent's
`.cast` and `.events.jsonl` to DIR as `<cli>-<version>_<scenario>.*`.  The
states the live monitor showed are printed next to what `cockpit analyze`
makes of the copy, for writing the manifest entry.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cockpit.agents.profiles import get_profile
from cockpit.commands.analyze import analyze

from tests.realagents.harness import PACKAGES, Run, installed, scenario

ROOT = Path(__file__).resolve().parent.parent


def make_repo(path: Path, files: dict[str, str]) -> Path:
    path.mkdir(parents=True)
    for rel, text in {"README.md": "# demo\n", **files}.items():
        (path / rel).parent.mkdir(parents=True, exist_ok=True)
        (path / rel).write_text(text, encoding="utf-8")
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["-c", "user.name=T", "-c", "user.email=t@e", "commit", "-qm", "initial"]):
        subprocess.run(["git", *args], cwd=path, check=True)
    return path


def capture(cli, name: str, out: Path) -> Path:
    spec = scenario(name)
    work = Path(tempfile.mkdtemp(prefix=f"ra-{cli.tag}-{name}-"))
    socket = f"ra-cap-{os.getpid()}-{name}"
    os.environ |= {"PATH": f"{cli.bin}:{os.environ['PATH']}", "COCKPIT_SOCKET": socket, "COCKPIT_HOME": str(work / "cockpit-home"), "HOME": str(work / "home"), "GIT_CONFIG_NOSYSTEM": "1"}
    for var in ("TMUX", "TMUX_PANE"):
        os.environ.pop(var, None)
    (work / "home").mkdir()
    repo = make_repo(work / "repo", spec.get("files", {}))
    stem = f"{cli.tag}_{name}"
    try:
        with Run(cli, spec, repo, work) as run:
            run.drive()
            for suffix in (".cast", ".events.jsonl"):
                shutil.copyfile(run.team.paths.recordings_dir / f"{run.name}{suffix}", out / f"{stem}{suffix}")
            with open(out / f"{stem}.events.jsonl", "a", encoding="utf-8") as fh:  # the replay runs up to here
                fh.write(json.dumps({"t": time.time(), "kind": "end", "what": "capture ended"}) + "\n")
            live = [(round(t - run.started, 1), s) for t, s in run.states]
        answers = [json.loads(line) for line in (work / "api.jsonl").read_text(encoding="utf-8").splitlines()]
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    result = analyze(out / f"{stem}.cast", get_profile(cli.cli), float(spec.get("stall_after", 120)))
    t0 = json.loads((out / f"{stem}.cast").read_text(encoding="utf-8").split("\n", 1)[0])["timestamp"]
    print(f"{stem}: scripted turns answered at {[(round(a['t'] - t0, 2), a['turn']) for a in answers if a.get('turn') is not None]}")
    print(f"{stem}: live {live}")
    print(f"{stem}: analyze {[(c.t, c.state, c.detail) for c in result.changes]}")
    return out / f"{stem}.cast"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenarios", nargs="+")
    parser.add_argument("--cli", choices=sorted(PACKAGES))
    parser.add_argument("--version")
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "realagents")
    args = parser.parse_args()
    clis = [c for c in installed() if args.cli in (None, c.cli) and args.version in (None, c.version)]
    if not clis:
        print("no CLI installed: run tools/install_realagents.sh", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for cli in clis:
        for name in args.scenarios:
            if cli.cli not in scenario(name).get("clis", [cli.cli]):
                continue
            try:
                path = capture(cli, name, args.out)
                print(f"  {path.name}: {path.stat().st_size} bytes")
            except AssertionError as exc:
                print(f"{cli.tag}_{name}: FAILED {exc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
