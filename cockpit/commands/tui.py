"""`cockpit` with no command: open the cockpit TUI on the repository (`--all`: the home view first)."""

from cockpit.agents.monitor import TeamMonitor
from cockpit.agents.team import Team
from cockpit.commands import open_team
from cockpit.errors import CockpitError


def run(args) -> int:
    if getattr(args, "all", False):
        if getattr(args, "repo", None):
            raise CockpitError("--all shows every repository; --repo names one", "drop one of the two")
        return run_home()
    open_cockpit(open_team(args))
    return 0


def open_cockpit(team: Team, from_home: bool = False):
    """Run the repository's cockpit; returns what it exited with (ui.home.BACK: Esc to the home view)."""
    if team.agents() and team.tmux.has_session(team.state.session):
        team.ensure_session()  # brings the recorder back if it died while no cockpit was open
    if from_home:
        from cockpit.ui.home import RepoCockpitApp as app_class
    else:
        from cockpit.ui.app import CockpitApp as app_class
    return app_class(TeamMonitor(team)).run()


def run_home() -> int:
    """Home view → chosen repository's cockpit → (Esc) home view again, until the user quits."""
    from cockpit.ui.home import BACK, HomeApp

    selected, notice = None, None
    while True:
        chosen = HomeApp(selected=selected, notice=notice).run()
        if chosen is None:
            return 0
        selected, notice = chosen, None
        try:
            team = Team.open(chosen)
        except CockpitError as exc:
            notice = exc.message + (f" — {exc.hint}" if exc.hint else "")
            continue
        if open_cockpit(team, from_home=True) != BACK:
            return 0
