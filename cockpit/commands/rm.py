"""cockpit rm NAME: remove an agent's window and worktree, keeping its work under refs/cockpit/archive/NAME/."""

from cockpit.cli import add_repo_arg
from cockpit.commands import confirm, open_team


def register(sub) -> None:
    p = sub.add_parser("rm", help="remove an agent (its work is archived first)", description=__doc__)
    p.add_argument("name")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    p.add_argument("--force-ignored", action="store_true", help="delete ignored files (.env, logs, build/) without archiving them")
    add_repo_arg(p)
    p.set_defaults(func=run)


def run(args) -> int:
    team = open_team(args)
    record = team.agent(args.name)
    question = f"Remove agent {record.name} (window, worktree {record.worktree}, branch {record.branch})? Its work is archived first."
    if not confirm(question, args.yes):
        print("nothing removed")
        return 1
    kept = team.remove(record.name, force_ignored=args.force_ignored)
    print(f"removed {record.name}: {kept.describe()}")
    return 0
