"""cockpit down: stop every agent and end the tmux session; worktrees and branches stay."""

from cockpit.cli import add_repo_arg
from cockpit.commands import open_team


def register(sub) -> None:
    p = sub.add_parser("down", help="stop all agents", description=__doc__)
    add_repo_arg(p)
    p.set_defaults(func=run)


def run(args) -> int:
    stopped = open_team(args).down()
    print(f"stopped {len(stopped)} agent(s){': ' + ', '.join(stopped) if stopped else ''}; worktrees and branches kept")
    return 0
