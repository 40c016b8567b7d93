"""cockpit demo: a throwaway repo and a team of simulated agents, opened in the cockpit.

No keys, no network: the agents are cockpit's simulated agent, each playing a
scenario (working, conflicting, asking, looping, going silent, crashing).  On
quit the demo's tmux session, worktrees and repository are removed unless --keep.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from cockpit.agents.layout import load_layout
from cockpit.agents.team import Team
from cockpit.cli import add_repo_arg
from cockpit.demo.repo import create_demo_repo
from cockpit.errors import CockpitError

# cockpit/layouts is layouts/ (a symlink in the checkout, real files in a wheel)
DEMO_LAYOUT = Path(__file__).resolve().parents[1] / "layouts" / "demo.toml"


def register(sub) -> None:
    p = sub.add_parser("demo", help="try cockpit with simulated agents (no keys needed)", description=__doc__)
    p.add_argument("--keep", action="store_true", help="keep the demo repository, worktrees and agents after quitting")
    p.add_argument("--layout", type=Path, default=DEMO_LAYOUT, help="layout to launch (default: layouts/demo.toml)")
    add_repo_arg(p)
    p.set_defaults(func=run)


def setup(layout_path: Path) -> tuple[Team, Path]:
    """Create the throwaway repository and start the demo team in it."""
    if not layout_path.is_file():
        raise CockpitError(f"{layout_path}: demo layout not found", "pass --layout with a layout file")
    layout = load_layout(layout_path)
    workdir = Path(tempfile.mkdtemp(prefix="cockpit-demo-"))
    repo = create_demo_repo(workdir / "shop")
    layout.session = f"cockpit-demo-{os.getpid()}"
    team = Team(repo.resolve())
    team.up(layout, layout_path)
    return team, workdir


def teardown(team: Team, workdir: Path) -> None:
    """End the demo's session and delete everything it created (all of it is throwaway)."""
    team.down()
    shutil.rmtree(team.paths.root, ignore_errors=True)
    shutil.rmtree(workdir, ignore_errors=True)


def run(args) -> int:
    from cockpit.agents.monitor import TeamMonitor
    from cockpit.ui.app import CockpitApp

    team, workdir = setup(args.layout)
    try:
        CockpitApp(TeamMonitor(team)).run()
    finally:
        if args.keep:
            print(f"demo kept: repository {team.repo}; reopen with `cockpit --repo {team.repo}`; end it with `cockpit down --repo {team.repo}`")
        else:
            teardown(team, workdir)
            print("demo cleaned up: session, worktrees and repository removed")
    return 0
