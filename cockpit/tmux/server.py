"""cockpit's tmux server: its own socket, one session per repository, a window per agent.

Every call goes through libtmux's `Server.cmd` on cockpit's socket (never the
user's default server) with argv lists; commands that must happen together are
sent as one tmux command list, which tmux runs before reading any pane output.
"""

from __future__ import annotations

import os
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import libtmux

from cockpit.errors import CockpitError
from cockpit.paths import socket_name

MIN_VERSION = (3, 2)
AGENT_OPTION = "@cockpit_agent"
ROLE_OPTION = "@cockpit_role"
_SEP = "\x1f"
_PANE_FIELDS = (
    "pane_id",
    "pane_pid",
    "window_id",
    "window_index",
    "window_name",
    AGENT_OPTION,
    ROLE_OPTION,
    "pane_dead",
    "pane_dead_status",
    "pane_dead_signal",
    "pane_current_command",
    "pane_width",
    "pane_height",
    "pane_title",
)


@dataclass(frozen=True)
class PaneInfo:
    pane_id: str
    pid: int | None
    window_id: str
    window_index: int
    window_name: str
    agent: str
    role: str
    dead: bool
    exit_code: int | None
    current_command: str
    width: int
    height: int
    title: str


def require_tmux() -> str:
    path = shutil.which("tmux")
    if not path:
        raise CockpitError("tmux is not installed", "install tmux 3.2 or newer (e.g. `apt install tmux`, `brew install tmux`)")
    return path


def tmux_quote(text: str) -> str:
    """Quote `text` as one argument for tmux's command parser (no $VAR expansion)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'


def no_formats(text: str) -> str:
    """`text` for an argument tmux expands as a format (-s, -n, -c, display-message, run-shell).

    Without it a folder named `app#Wtools` starts agents elsewhere and `#(cmd)` runs cmd.
    """
    return text.replace("#", "##")


def literal_arg(arg: str) -> str:
    """`arg` as tmux's argv parser must see it: a trailing ';' would end the command.

    tmux turns a final `\\;` into a literal ';' and looks only at the last character,
    so `do it;` becomes `do it\\;` and `a\\;` becomes `a\\\\;`.
    """
    return arg[:-1] + "\\;" if arg.endswith(";") else arg


def command_list(*commands: list[str]) -> list[str]:
    """One tmux invocation running `commands` in order, every argument kept literal."""
    argv: list[str] = []
    for command in commands:
        if argv:
            argv.append(";")
        argv += [literal_arg(arg) for arg in command]
    return argv


def run_shell_hook(argv: list[str], formats: dict[str, str]) -> str:
    """A hook command running `argv` through run-shell, safely quoted at every level.

    Each placeholder key in `formats` is replaced by a single-quoted tmux format (e.g.
    #{pane_dead_status}) after literal '#' characters are escaped, so only the intended
    formats expand and an empty value still arrives as an (empty) argument.
    """
    shell = no_formats(shlex.join(argv))
    for placeholder, fmt in formats.items():
        shell = shell.replace(placeholder, f"'{fmt}'")
    return f"run-shell -b {tmux_quote(shell)}"


def env_args(env: dict[str, str]) -> list[str]:
    """`-e KEY=VALUE` for each variable: values travel as argv, never through a shell."""
    return [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]


def exit_code_of(status: str, signal: str) -> int | None:
    """Exit status as a shell reports it: the code, or 128+signal for a killed process."""
    if status.strip():
        return int(status)
    if signal.strip():
        return 128 + int(signal)
    return None


class Tmux:
    """Commands on cockpit's tmux server."""

    def __init__(self, socket: str | None = None) -> None:
        require_tmux()
        self.socket = socket or socket_name()
        self.server = libtmux.Server(socket_name=self.socket)

    @property
    def socket_path(self) -> Path:
        """Where tmux puts the server's socket (created when it starts, removed when it ends)."""
        return Path(os.environ.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}" / self.socket

    def cmd(self, *commands: list[str]):
        """Run one or more tmux commands in one invocation, every argument literal."""
        return self.server.cmd(*command_list(*commands))

    def run(self, *args: str, check: bool = True) -> list[str]:
        """Run one tmux command; stdout lines."""
        result = self.cmd(list(args))
        if check and result.returncode != 0:
            raise CockpitError(f"tmux {args[0]} failed: {' '.join(result.stderr).strip()}")
        return result.stdout

    def ok(self, *args: str) -> bool:
        return self.cmd(list(args)).returncode == 0

    def has_session(self, session: str) -> bool:
        return self.ok("has-session", "-t", f"={session}")

    def session_option(self, session: str, option: str) -> str | None:
        lines = self.cmd(["show-options", "-v", "-t", f"={session}:", option]).stdout
        return lines[0] if lines else None

    def new_session(
        self,
        session: str,
        cwd: str,
        window_name: str,
        argv: list[str],
        env: dict[str, str],
        options: dict[str, str],
        window_options: dict[str, str],
        hooks: dict[str, str],
        size: tuple[int, int] = (200, 50),
    ) -> None:
        """Create a detached session whose first window runs `argv`; session options, that window's
        options and hooks are set in the same tmux command list (before the window's program can die)."""
        new = ["new-session", "-d", "-s", no_formats(session), "-c", no_formats(cwd), "-n", no_formats(window_name)]
        new += ["-x", str(size[0]), "-y", str(size[1]), *env_args(env), "--", *argv]
        window = f"={session}:{no_formats(window_name)}"
        sets = [["set-option", "-t", f"={session}:", option, value] for option, value in options.items()]
        sets += [["set-option", "-w", "-t", window, option, value] for option, value in window_options.items()]
        sets += [["set-hook", "-w", "-t", window, hook, command] for hook, command in hooks.items()]
        result = self.cmd(new, *sets)
        if result.returncode != 0:
            raise CockpitError(f"tmux could not create session {session!r}: {' '.join(result.stderr).strip()}")

    def free_index(self, session: str) -> int:
        used = [int(i) for i in self.run("list-windows", "-t", f"={session}", "-F", "#{window_index}")]
        return max(used, default=0) + 1

    def new_window(
        self,
        session: str,
        name: str,
        cwd: str,
        argv: list[str],
        env: dict[str, str],
        window_options: dict[str, str],
        hooks: dict[str, str],
    ) -> str:
        """Start `argv` in a new window; options and hooks are set in the same tmux command list.

        Returns the new pane id.  Retries when another cockpit took the index first.
        """
        for _attempt in range(5):
            index = self.free_index(session)
            target = f"={session}:{index}"
            new = ["new-window", "-d", "-P", "-F", "#{pane_id}", "-t", target, "-n", no_formats(name), "-c", no_formats(cwd)]
            new += [*env_args(env), "--", *argv]
            options = [["set-option", "-w", "-t", target, option, value] for option, value in window_options.items()]
            hook_cmds = [["set-hook", "-w", "-t", target, hook, command] for hook, command in hooks.items()]
            result = self.cmd(new, *options, *hook_cmds)
            if result.returncode == 0:
                return result.stdout[0]
            if "in use" not in " ".join(result.stderr):
                raise CockpitError(f"tmux could not start {name}: {' '.join(result.stderr).strip()}")
        raise CockpitError(f"tmux could not find a free window index in {session}")

    def respawn(self, pane_id: str, cwd: str, argv: list[str], env: dict[str, str]) -> None:
        """Restart a dead pane in place (same window, same options and hooks)."""
        self.run("respawn-pane", "-k", "-t", pane_id, "-c", no_formats(cwd), *env_args(env), "--", *argv)

    def panes(self, session: str) -> list[PaneInfo]:
        """Every pane of the session, read in one `list-panes` call."""
        if not self.has_session(session):
            return []
        fmt = _SEP.join("#{" + f + "}" for f in _PANE_FIELDS)
        result = self.cmd(["list-panes", "-s", "-t", f"={session}", "-F", fmt])
        if result.returncode != 0:
            return []  # the session ended between the two calls
        panes = []
        for line in result.stdout:
            parts = line.split(_SEP, len(_PANE_FIELDS) - 1)
            if len(parts) != len(_PANE_FIELDS):
                continue
            (pane_id, pid, window_id, index, wname, agent, role, dead, status, signal, command, width, height, title) = parts
            panes.append(
                PaneInfo(
                    pane_id=pane_id,
                    pid=int(pid) if pid.isdigit() else None,
                    window_id=window_id,
                    window_index=int(index),
                    window_name=wname,
                    agent=agent,
                    role=role,
                    dead=dead == "1",
                    exit_code=exit_code_of(status, signal) if dead == "1" else None,
                    current_command=command,
                    width=int(width),
                    height=int(height),
                    title=title,
                )
            )
        return panes

    def capture(self, pane_ids: list[str], escapes: bool = False, history: int = 0) -> dict[str, list[str]]:
        """The screens of several panes in ONE tmux invocation (~3 ms for 20 panes)."""
        if not pane_ids:
            return {}
        marker = "\x1ecockpit-pane "
        commands: list[list[str]] = []
        for pane in pane_ids:
            capture = ["capture-pane", "-p", "-t", pane] + (["-e"] if escapes else []) + (["-S", str(-history)] if history else [])
            commands += [["display-message", "-p", "-t", pane, marker + "#{pane_id}"], capture]
        result = self.cmd(*commands)
        screens: dict[str, list[str]] = {}
        current: list[str] | None = None
        for line in result.stdout:
            if line.startswith(marker):
                current = screens.setdefault(line[len(marker) :], [])
            elif current is not None:
                current.append(line)
        return screens

    def send_text(self, target: str, text: str, enter: bool = True) -> None:
        """Type `text` literally (no key names, no shell), then press Enter."""
        commands = [["send-keys", "-t", target, "-l", "--", text]] + ([["send-keys", "-t", target, "Enter"]] if enter else [])
        result = self.cmd(*commands)
        if result.returncode != 0:
            raise CockpitError(f"tmux send-keys failed: {' '.join(result.stderr).strip()}")

    def nudge_reaper(self) -> None:
        """Make the server reap dead panes whose exit status it missed.

        Debian's tmux runs libutempter when a pane's pty closes, which sets SIGCHLD
        to its default for a moment; a child dying in that moment stays a zombie,
        its pane dead without a status and its pane-died hook never run.  Any other
        child exiting makes tmux reap them all: a no-op job is such a child.
        """
        self.run("run-shell", "-b", "true", check=False)

    def kill_window(self, target: str) -> None:
        self.run("kill-window", "-t", target, check=False)

    def kill_session(self, session: str) -> None:
        self.run("kill-session", "-t", f"={session}", check=False)

    def message(self, session: str, text: str) -> None:
        """A tmux status-line message for clients attached to `session`."""
        self.run("display-message", "-t", f"={session}:", "--", no_formats(text), check=False)

    def attach_argv(self, session: str, window_id: str, read_only: bool, view_name: str) -> list[str]:
        """argv that attaches a terminal to one agent's window.

        It goes through a grouped view session (destroyed on detach) so two people
        watching different agents do not switch each other's window.
        """
        return [require_tmux(), "-L", self.socket] + command_list(
            ["new-session", "-d", "-t", f"={session}", "-s", no_formats(view_name)],
            ["set-option", "-t", f"={view_name}:", "destroy-unattached", "on"],
            ["select-window", "-t", f"={view_name}:{window_id}"],
            ["attach-session", "-t", f"={view_name}"] + (["-r"] if read_only else []),
        )
