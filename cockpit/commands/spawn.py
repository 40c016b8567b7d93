"""cockpit spawn NAME: start one agent in its own worktree, branch and tmux window."""

from cockpit.agents import limits, names
from cockpit.agents.layout import AgentSpec
from cockpit.agents.profiles import profile_names
from cockpit.cli import add_repo_arg
from cockpit.commands import open_team, print_launches, split_command


def register(sub) -> None:
    p = sub.add_parser("spawn", help="start one agent", description=__doc__)
    p.add_argument("name", help="agent name (becomes window name and branch cockpit/NAME)")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--profile", choices=profile_names(), help="a built-in agent profile")
    how.add_argument("--command", metavar="ARGV", help='custom command, split like a shell (never run by one); "{task}" is replaced by the task')
    p.add_argument("--task", default="", help="the task text")
    add_repo_arg(p)
    p.set_defaults(func=run)


def run(args) -> int:
    names.agent_name(args.name)
    limits.check_text(args.task, "--task", "the task")
    team = open_team(args)
    command = split_command(args.command) if args.command else None
    spec = AgentSpec(name=args.name, profile=args.profile, command=command, task=args.task)
    print_launches(team, [team.spawn(spec)])
    return 0
