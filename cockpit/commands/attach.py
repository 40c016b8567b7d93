"""cockpit attach NAME: your terminal into the agent's tmux window (detach with the tmux prefix, d)."""

import os
import subprocess

from cockpit.cli import add_repo_arg
from cockpit.commands import open_team


def register(sub) -> None:
    p = sub.add_parser("attach", help="attach to an agent's window", description=__doc__)
    p.add_argument("name")
    p.add_argument("--watch", action="store_true", help="read-only: watch without typing into the agent")
    add_repo_arg(p)
    p.set_defaults(func=run)


def run(args) -> int:
    argv = open_team(args).attach_argv(args.name, args.watch)
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}
    return subprocess.run(argv, env=env).returncode
