"""cockpit fanout FILE: one agent per non-empty line of FILE, named after its text."""

from pathlib import Path

from cockpit.cli import add_repo_arg
from cockpit.commands import open_team, print_launches, split_command
from cockpit.errors import CockpitError
from cockpit.agents.profiles import profile_names


def register(sub) -> None:
    p = sub.add_parser("fanout", help="one agent per line of a task list", description=__doc__)
    p.add_argument("file", type=Path, help="text file, one task per line ('#' lines are comments)")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--profile", choices=profile_names())
    how.add_argument("--command", metavar="ARGV", help='custom command; "{task}" is replaced by each task')
    add_repo_arg(p)
    p.set_defaults(func=run)


def run(args) -> int:
    try:
        lines = args.file.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CockpitError(f"{args.file}: {exc.strerror}", "give a text file with one task per line") from None
    tasks = [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
    if not tasks:
        raise CockpitError(f"{args.file}: no tasks in it", "write one task per line")
    team = open_team(args)
    command = split_command(args.command) if args.command else None
    print_launches(team, team.fanout(tasks, args.profile, command))
    return 0
