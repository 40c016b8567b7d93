"""cockpit send NAME TEXT: type TEXT into the agent, literally, and press Enter."""

from cockpit.agents import limits
from cockpit.cli import add_repo_arg
from cockpit.commands import open_team


def register(sub) -> None:
    p = sub.add_parser("send", help="type text into an agent", description=__doc__)
    p.add_argument("name")
    p.add_argument("text", help="sent as literal keys: quotes, $(...), backticks and unicode arrive as written")
    add_repo_arg(p)
    p.set_defaults(func=run)


def run(args) -> int:
    open_team(args).send(args.name, limits.check_text(args.text, "cockpit send", "the text"))
    return 0
