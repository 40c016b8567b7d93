"""cockpit up LAYOUT: start every agent of a layout that is not running yet."""

from pathlib import Path

from cockpit.agents.layout import load_layout
from cockpit.cli import add_repo_arg
from cockpit.commands import open_team, print_launches


def register(sub) -> None:
    p = sub.add_parser("up", help="start the agents of a layout file", description=__doc__)
    p.add_argument("layout", type=Path, help="layout file (TOML), see layouts/")
    add_repo_arg(p)
    p.set_defaults(func=run)


def run(args) -> int:
    layout = load_layout(args.layout)
    team = open_team(args)
    print_launches(team, team.up(layout, args.layout))
    return 0
