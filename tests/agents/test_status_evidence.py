"""With no TUI ever opened, `cockpit status` judges from the observer's evidence alone."""

from __future__ import annotations

import json

from cockpit.agents.team import Team

from tests.support import cli, eventually, py

BUSY = py("print('compiling', flush=True)\nwhile True: pass")
WRITER = py(
    "import time,pathlib; print('writing', flush=True)\n"
    "for i in range(10000): pathlib.Path(f'out{i % 5}.txt').write_text(str(i)); time.sleep(0.5)"
)
QUIET = py("import time; print('thinking', flush=True); time.sleep(3600)")
ASKS = py("import time; print('Overwrite config? [y/N] ', end='', flush=True); time.sleep(3600)")


def states(capsys, repo) -> dict[str, str]:
    code, out, err = cli(capsys, "status", "--json", "--repo", str(repo))
    assert code == 0, err
    return {a["name"]: a["state"] for a in json.loads(out)["agents"]}


def test_status_without_a_tui_tells_busy_from_stalled(repo, tmp_path, capsys):
    layout = tmp_path / "team.toml"
    agents = {"busy": BUSY, "writer": WRITER, "quiet": QUIET, "asks": ASKS}
    layout.write_text('stall_after = "4s"\n' + "".join(f'[[agents]]\nname = "{n}"\ncommand = {json.dumps(argv)}\n' for n, argv in agents.items()))
    code, _, err = cli(capsys, "up", str(layout), "--repo", str(repo))
    assert code == 0, err
    expected = {"busy": "working", "writer": "working", "quiet": "stalled", "asks": "needs_input"}
    eventually(lambda: states(capsys, repo) == expected, timeout=30, interval=0.5, what=f"states {expected}")
    team = Team(repo)
    kinds = lambda name: {json.loads(line)["kind"] for line in team.paths.events(name).read_text().splitlines()}  # noqa: E731
    assert "cpu" in kinds("busy")  # the observer sampled it: the evidence is on disk for every reader
    assert "files" in kinds("writer")
