"""cockpit doctor: check tmux, git, the repository and every agent program; say what to do."""

import os
import re
import shutil
import subprocess
import tempfile

from cockpit.agents.profiles import get_profile, profile_names
from cockpit.agents.team import Team
from cockpit.cli import add_repo_arg
from cockpit.errors import CockpitError
from cockpit.git import gitutil
from cockpit.logs import log_path, setup_logging
from cockpit.paths import cockpit_home, socket_name
from cockpit.tmux.server import MIN_VERSION, Tmux

MIN_GIT = (2, 38)  # git merge-tree --write-tree


def register(sub) -> None:
    p = sub.add_parser("doctor", help="check that everything cockpit needs is there", description=__doc__)
    add_repo_arg(p)
    p.set_defaults(func=run)


class Report:
    def __init__(self) -> None:
        self.failed = 0

    def line(self, ok: bool | None, what: str, fix: str = "") -> None:
        mark = {True: "ok  ", False: "FAIL", None: "--  "}[ok]
        print(f"[{mark}] {what}")
        if fix and not ok:
            print(f"       → {fix}")
        if ok is False:
            self.failed += 1


def _version(cmd: list[str]) -> tuple[int, int] | None:
    try:
        text = subprocess.run(cmd, capture_output=True, text=True).stdout
    except OSError:
        return None
    m = re.search(r"(\d+)\.(\d+)", text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def run(args) -> int:
    report = Report()
    tmux_path = shutil.which("tmux")
    tmux_version = _version(["tmux", "-V"]) if tmux_path else None
    report.line(
        bool(tmux_version and tmux_version >= MIN_VERSION),
        f"tmux {'.'.join(map(str, tmux_version)) if tmux_version else 'missing'} (need {MIN_VERSION[0]}.{MIN_VERSION[1]}+)",
        "install tmux 3.2 or newer (apt install tmux / brew install tmux)",
    )
    git_version = _version(["git", "--version"]) if shutil.which("git") else None
    report.line(
        bool(git_version and git_version >= MIN_GIT),
        f"git {'.'.join(map(str, git_version)) if git_version else 'missing'} (need {MIN_GIT[0]}.{MIN_GIT[1]}+ for merge-tree --write-tree)",
        "install git 2.38 or newer",
    )
    home = cockpit_home()
    try:
        home.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=home):
            pass
        report.line(True, f"COCKPIT_HOME {home} is writable")
    except OSError as exc:
        report.line(False, f"COCKPIT_HOME {home}: {exc.strerror}", "set COCKPIT_HOME to a writable folder")
    log_file = setup_logging()
    report.line(None if log_file is None else True, f"log file: {log_file or log_path()}" + ("" if log_file else " (cannot be written)"))
    team = None
    try:
        team = Team.open(args.repo)
        report.line(True, f"repository {team.repo}")
        base = team.state.base
        report.line(gitutil.rev(team.repo, base) is not None, f"base branch {base!r}", "set `base` in your layout")
    except CockpitError as exc:
        report.line(False, exc.message, exc.hint)
    if team is not None and tmux_path:
        try:
            tmux = Tmux()
            running = tmux.has_session(team.state.session)
            report.line(None if not running else True, f"tmux socket {socket_name()!r}, session {team.state.session!r}: {'running' if running else 'not started'}")
            if running:
                rec = team.recorder_pane()
                report.line(bool(rec and not rec.dead), "recorder attached", "run `cockpit up` (it restarts the recorder)")
        except CockpitError as exc:
            report.line(False, exc.message, exc.hint)
    print("agent programs:")
    wanted = {name: get_profile(name) for name in profile_names()}
    for name, profile in wanted.items():
        program = profile.resolved_program()
        found = program if os.path.isabs(program) and os.path.exists(program) else shutil.which(program)
        print(f"  {'ok  ' if found else 'miss'} {name:<13} {program}" + ("" if found else f"   → {profile.install_hint}"))
    if team is not None:
        for record in team.agents():
            program = record.argv[0]
            found = os.path.exists(program) if os.path.isabs(program) else shutil.which(program)
            report.line(bool(found), f"agent {record.name}: {program}", f"install {program} or fix PATH, then `cockpit up`")
    notify = shutil.which("notify-send")
    report.line(None if not notify else True, f"desktop notifications: {'notify-send' if notify else 'notify-send not found (optional)'}")
    print("all good" if not report.failed else f"{report.failed} problem(s) found")
    return 0 if not report.failed else 1
