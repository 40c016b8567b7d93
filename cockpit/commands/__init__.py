"""One module per `cockpit` command; shared bits for them live here."""

from __future__ import annotations

import shlex
import sys

from cockpit.agents import limits
from cockpit.agents.launch import Launch
from cockpit.agents.team import Team
from cockpit.errors import CockpitError


def open_team(args) -> Team:
    return Team.open(getattr(args, "repo", None))


def split_command(text: str) -> list[str]:
    """Split like a shell would, without ever running one."""
    limits.check_text(text, "--command", "the command")
    try:
        argv = shlex.split(text)
    except ValueError as exc:
        raise CockpitError(f"--command {text!r}: {exc}", 'quote it like a shell command, e.g. --command "python3 agent.py {task}"') from None
    if not argv:
        raise CockpitError("--command is empty", 'give the program and its arguments, e.g. --command "python3 agent.py {task}"')
    return argv


def confirm(question: str, yes: bool) -> bool:
    """Ask on a terminal; `--yes` answers for the user. Refuses to guess without a terminal."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise CockpitError(f"{question} needs confirmation", "run it on a terminal, or pass --yes")
    answer = input(f"{question} [y/N] ").strip().lower()
    return answer in ("y", "yes")


def print_launches(team: Team, launches: list[Launch]) -> None:
    width = max((len(launch.name) for launch in launches), default=4)
    for launch in launches:
        print(f"  {launch.name:<{width}}  {launch.action:<9}  {launch.branch}  {launch.worktree}")
        for note in launch.notes:
            print(f"  {'':<{width}}  note: {note}")
    started = sum(1 for launch in launches if launch.action in ("started", "restarted"))
    resumed = sum(1 for launch in launches if launch.action == "resumed")
    running = len(launches) - started - resumed
    print(
        f"{started} started, {f'{resumed} resumed, ' if resumed else ''}{running} already running — session {team.state.session!r} "
        f"on tmux socket {team.tmux.socket!r}.  `cockpit` opens the cockpit; `cockpit status` lists agents."
    )
