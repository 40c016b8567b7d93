"""cockpit stop NAME: stop one agent (its window stays, showing the exit; worktree and branch stay)."""

from cockpit.cli import add_repo_arg
from cockpit.commands import open_team


def register(sub) -> None:
    p = sub.add_parser("stop", help="stop one agent", description=__doc__)
    p.add_argument("name")
    add_repo_arg(p)
    p.set_defaults(func=run)


def run(args) -> int:
    team = open_team(args)
    if team.stop(args.name):
        print(f"stopped {args.name}; `cockpit up` or `cockpit spawn` starts it again in the same worktree")
    else:
        print(f"{args.name} was not running")
    return 0
