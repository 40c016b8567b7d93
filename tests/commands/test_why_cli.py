"""`status --json` and `analyze --json` say why each agent is in its state (a public contract)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support import cli, eventually, py

DATA = Path(__file__).parents[1] / "data" / "recordings"
SOURCES = {"hook", "screen", "output", "cpu", "files", "pane", "none"}
AGENTS = {
    "asks": py("import time; print('Overwrite config? [y/N] ', end='', flush=True); time.sleep(3600)"),
    "busy": py("print('compiling', flush=True)\nwhile True: pass"),
    "crash": py("import sys; print('bye', flush=True); sys.exit(3)"),
}
EXPECTED = {"asks": ("needs_input", "screen"), "busy": ("working", "cpu"), "crash": ("exited", "pane")}


def whys(capsys, repo) -> dict[str, dict]:
    code, out, err = cli(capsys, "status", "--json", "--repo", str(repo))
    assert code == 0, err
    return {a["name"]: a for a in json.loads(out)["agents"]}


def test_status_says_why_from_the_screen_the_cpu_and_the_pane(repo, tmp_path, capsys):
    layout = tmp_path / "team.toml"
    layout.write_text('stall_after = "10m"\n' + "".join(f'[[agents]]\nname = "{n}"\ncommand = {json.dumps(argv)}\n' for n, argv in AGENTS.items()))
    code, _, err = cli(capsys, "up", str(layout), "--repo", str(repo))
    assert code == 0, err

    def judged() -> dict[str, dict] | None:
        rows = whys(capsys, repo)
        return rows if {n: (r["state"], r["why"]["source"]) for n, r in rows.items()} == EXPECTED else None

    rows = eventually(judged, timeout=30, interval=0.5, what=f"states and sources {EXPECTED}")
    for row in rows.values():
        assert set(row["why"]) == {"source", "detail", "since"} and row["why"]["source"] in SOURCES
        assert isinstance(row["why"]["since"], float)
    assert rows["asks"]["why"]["detail"] == 'generic.screen.question[0] matched "Overwrite config? [y/N]"'
    assert "of a core in the last sample" in rows["busy"]["why"]["detail"]
    assert "exit code 3" in rows["crash"]["why"]["detail"]
    code, out, _ = cli(capsys, "status", "--repo", str(repo))
    assert code == 0 and "WHY" in out.splitlines()[0] and "pane: " in out


def test_analyze_json_carries_the_why_of_each_verdict(capsys):
    code, out, _ = cli(capsys, "analyze", str(DATA / "sim_ask_answered.cast"), "--json", "--profile", "sim")
    assert code == 0
    verdicts = json.loads(out)["verdicts"]
    assert all(set(v) == {"t", "state", "detail", "why"} and set(v["why"]) == {"source", "detail", "since"} for v in verdicts)
    asks = next(v for v in verdicts if v["state"] == "needs_input")
    assert asks["why"]["source"] == "screen" and asks["why"]["detail"].startswith("sim.screen.question[0] matched")
    assert 0 <= asks["why"]["since"] <= asks["t"] + 1  # like t: seconds from the start of the recording
    code, out, _ = cli(capsys, "analyze", str(DATA / "hand_hooks_permission.cast"), "--json")
    hooked = next(v for v in json.loads(out)["verdicts"] if v["state"] == "needs_input")
    assert hooked["why"] == {"source": "hook", "detail": "claude Notification: Claude needs your permission to use Bash", "since": hooked["why"]["since"]}
    code, out, _ = cli(capsys, "analyze", str(DATA / "sim_ask_answered.cast"), "--profile", "sim")
    assert code == 0 and "why: screen: sim.screen.question[0]" in out
