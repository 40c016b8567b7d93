"""The `cockpit` console script.

Each command lives in its own module under cockpit/commands with
`register(subparsers)`; this file only wires them up and turns CockpitError
into a clear message and exit status 2 (never a traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from importlib import import_module

from cockpit import __version__
from cockpit.errors import CockpitError
from cockpit.logs import setup_logging

COMMANDS = [
    "up",
    "spawn",
    "fanout",
    "status",
    "attach",
    "send",
    "stop",
    "down",
    "rm",
    "overlaps",
    "diff",
    "review",
    "merge",
    "doctor",
    "analyze",
    "demo",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cockpit",
        description="Supervise many coding agents, each in its own git worktree, branch and tmux window. "
        "With no command, opens the cockpit on the current repository.",
    )
    parser.add_argument("--version", action="version", version=f"cockpit {__version__}")
    add_repo_arg(parser)
    parser.add_argument("--all", action="store_true", help="with no command: a home view of every repository with agents")
    # dest is not "command": spawn and fanout have a --command flag of their own.
    sub = parser.add_subparsers(dest="subcommand", metavar="COMMAND")
    for name in COMMANDS:
        import_module(f"cockpit.commands.{name.replace('-', '_')}").register(sub)
    return parser


def add_repo_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--repo",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="the git repository (default: the one containing the current directory)",
    )


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging()
    if not hasattr(args, "repo"):
        args.repo = None
    try:
        if args.subcommand is None:
            from cockpit.commands.tui import run as run_tui

            return run_tui(args)
        code = args.func(args)
        sys.stdout.flush()  # a reader that went away shows here, not as a traceback at exit
        return code
    except CockpitError as exc:
        print(f"cockpit: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"  → {exc.hint}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `cockpit status | head`: the reader is gone; stop quietly (and keep Python's
        # exit-time flush of stdout from failing again)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
