"""`cockpit` with no command: open the cockpit TUI on the repository."""

from cockpit.agents.monitor import TeamMonitor
from cockpit.commands import open_team


def run(args) -> int:
    team = open_team(args)
    if team.agents() and team.tmux.has_session(team.state.session):
        team.ensure_session()  # brings the recorder back if it died while no cockpit was open
    from cockpit.ui.app import CockpitApp

    CockpitApp(TeamMonitor(team)).run()
    return 0
