"""cockpit fanout FILE: one agent per non-empty line of FILE, named after its text."""

from pathlib import Path

from cockpit.agents import limits
from cockpit.agents.profiles import profile_names
from cockpit.cli import add_repo_arg
from cockpit.commands import open_team, print_launches, split_command
from cockpit.errors import CockpitError


def register(sub) -> None:
    p = sub.add_parser("fanout", help="one agent per line of a task list", description=__doc__)
    p.add_argument("file", type=Path, help="text file, one task per line ('#' lines are comments)")
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--profile", choices=profile_names())
    how.add_argument("--command", metavar="ARGV", help='custom command; "{task}" is replaced by each task')
    add_repo_arg(p)
    p.set_defaults(func=run)


def run(args) -> int:
    tasks = read_tasks(args.file)
    team = open_team(args)
    command = split_command(args.command) if args.command else None
    print_launches(team, team.fanout(tasks, args.profile, command))
    return 0


def read_tasks(file: Path) -> list[str]:
    """The non-empty, non-comment lines of a UTF-8 text file, each within the task limits."""
    try:
        with open(file, "rb") as fh:
            raw = fh.read(limits.MAX_LAYOUT_BYTES + 1)
    except OSError as exc:
        raise CockpitError(f"{file}: {exc.strerror}", "give a text file with one task per line") from None
    if len(raw) > limits.MAX_LAYOUT_BYTES:
        raise CockpitError(f"{file}: more than {limits.MAX_LAYOUT_BYTES // (1024 * 1024)} MiB, too big for a task list")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CockpitError(f"{file}: not UTF-8 text (byte {exc.start})", "give a text file with one task per line") from None
    tasks = []
    for number, line in enumerate(text.splitlines(), 1):
        task = line.strip()
        if task and not task.startswith("#"):
            tasks.append(limits.check_text(task, f"{file}: line {number}", "the task"))
    if not tasks:
        raise CockpitError(f"{file}: no tasks in it", "write one task per line")
    limits.check_count(len(set(tasks)), str(file))
    return tasks
