"""Launching agents: a spec becomes a record, a worktree, hooks and a tmux window.

Team mixes this in; it needs the team's paths, store, settings, tmux and
session (see Team).  Everything that can be refused is checked before anything
is created: the program, and whether its window command fits tmux.

An agent that had run before (its window gone after a reboot or a tmux crash,
or its program exited) continues its conversation where its profile says how
(`resume`) and its hooks reported a session id; otherwise it starts afresh on
its task, and its Launch says why.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from cockpit.agents import names
from cockpit.agents.layout import AgentSpec, Layout
from cockpit.agents.lock import changes_team
from cockpit.agents.profiles import CUSTOM, Profile, get_profile, require_program
from cockpit.agents.store import AgentRecord, append_event, latest_session, start_fields
from cockpit.errors import CockpitError
from cockpit.git import worktrees
from cockpit.recording.cast import iter_jsonl
from cockpit.recording.hooks import install_hooks
from cockpit.tmux.server import AGENT_OPTION, ROLE_OPTION, PaneInfo, run_shell_hook
from cockpit.tmux.session import ENV_PASSED

TYPED_TASK_TIMEOUT = 30.0
EXIT_EVENT_WAIT = 2.0  # longest a restart waits for the previous run's exit event
TMUX_COMMAND_ROOM = 14 * 1024  # tmux refuses a command over 16 KiB; the rest is options and hooks


@dataclass(frozen=True)
class Launch:
    """What `up`/`spawn` did for one agent."""

    name: str
    action: str  # "started", "restarted" (afresh on its task), "resumed" (its conversation), "running"
    branch: str
    worktree: Path
    created_worktree: bool = False
    notes: tuple[str, ...] = ()  # what could not be set up (e.g. hooks), for the user


class Launcher:
    def record_for(self, spec: AgentSpec) -> AgentRecord:
        """Resolve a spec into what will run: profile, argv, branch, worktree, base."""
        name = names.agent_name(spec.name)
        profile = get_profile(spec.profile_name)
        if spec.command:
            argv = [a.replace("{task}", spec.task) for a in spec.command] + list(spec.args)
            task_mode = "none"
        else:
            argv = profile.argv(spec.task, spec.args)
            task_mode = profile.task
        base = self.state.base
        if spec.base:
            other = self.store.agent(spec.base)
            base = other.branch if other else spec.base
        return AgentRecord(
            name=name,
            profile=spec.profile or CUSTOM,
            argv=argv,
            args=list(spec.args),
            task=spec.task,
            task_mode=task_mode,
            env=dict(spec.env),
            branch=names.branch_for(name),
            base=base,
            worktree=str(self.paths.worktree(name)),
            after=list(spec.after),
        )

    def check_program(self, record: AgentRecord) -> None:
        """Before anything is created: the program exists and its window command fits tmux."""
        size = sum(len(a.encode()) + 1 for a in record.argv) + sum(len(f"{k}={v}".encode()) + 4 for k, v in self._agent_env(record).items())
        if size > TMUX_COMMAND_ROOM:
            raise CockpitError(
                f"agent {record.name}: its command and task take {size // 1024} KiB; tmux takes at most {TMUX_COMMAND_ROOM // 1024} KiB",
                "write the task to a file in the repository and give a short task that points to it",
            )
        profile = get_profile(record.profile)
        hint = profile.install_hint if record.argv[0] == profile.resolved_program() else ""
        try:
            require_program(record.argv[0], hint)
        except CockpitError as exc:
            raise CockpitError(f"agent {record.name}: {exc.message}", exc.hint) from None

    @changes_team
    def up(self, layout: Layout, layout_path: Path | None = None) -> list[Launch]:
        """Start every agent of the layout that is not already running."""
        self.configure(layout, layout_path)
        records = [self.record_for(spec) for spec in layout.agents]
        for record in records:  # all programs checked before anything is created
            self.check_program(record)
        return self._launch_all(records)

    @changes_team
    def spawn(self, spec: AgentSpec) -> Launch:
        if self._state is None:
            self.configure()
        record = self.record_for(spec)
        self.check_program(record)
        return self._launch_all([record])[0]

    @changes_team
    def fanout(self, tasks: list[str], profile: str | None, command: list[str] | None) -> list[Launch]:
        """One agent per task, named after the task text."""
        if self._state is None:
            self.configure()
        existing = {a.name: a.task for a in self.agents()}
        specs = [AgentSpec(name=name, profile=profile, command=command, task=task) for name, task in names.names_for_tasks(tasks, existing)]
        records = [self.record_for(spec) for spec in specs]
        for record in records:
            self.check_program(record)
        return self._launch_all(records)

    @changes_team
    def restart(self, name: str) -> Launch:
        """Run an exited (or lost) agent again in its worktree, resuming its conversation where
        its profile can; what `up` does for it, without a layout.  A running agent is refused."""
        record = self.agent(name)
        pane = self.panes().get(name)
        if pane is not None and not pane.dead:
            raise CockpitError(f"agent {name} is running", "stop it first (x), or send it text instead of restarting it")
        if self._state is None:
            self.configure()
        self.check_program(record)
        return self._launch_all([record])[0]

    def _launch_all(self, records: list[AgentRecord]) -> list[Launch]:
        self.ensure_session()
        panes = self.panes()
        launches = [self._launch(record, panes.get(record.name)) for record in records]
        typed = [r for r, launch in zip(records, launches) if launch.action in ("started", "restarted") and r.task_mode == "typed" and r.task]
        threads = [threading.Thread(target=self._type_task, args=(r,), name=f"type-task-{r.name}") for r in typed]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return launches

    def _launch(self, record: AgentRecord, pane: PaneInfo | None) -> Launch:
        worktree = Path(record.worktree)
        if pane is not None and not pane.dead:
            return Launch(record.name, "running", record.branch, worktree)
        existing = self.store.agent(record.name)
        if existing is not None:
            record.created_at = existing.created_at
            record.session_id = self._known_session(record, existing)
        created = worktrees.ensure_worktree(self.repo, worktree, record.branch, record.base)
        self.store.save_agent(record)
        argv, env, notes, resumed = self._prepare(record, worktree, restart=existing is not None)
        if pane is not None:
            _await_exit_event(self.paths.events(record.name))
        append_event(self.paths.events(record.name), "start", **start_fields(argv), **({"resumed": record.session_id} if resumed else {}))
        if pane is not None:
            self.tmux.respawn(pane.pane_id, str(worktree), argv, env)
            action = "resumed" if resumed else "restarted"
        else:
            self.tmux.new_window(
                self.state.session,
                record.name,
                str(worktree),
                argv,
                env,
                window_options={
                    AGENT_OPTION: record.name,
                    ROLE_OPTION: "agent",
                    "remain-on-exit": "on",
                    "automatic-rename": "off",
                    "allow-rename": "off",
                },
                hooks={"pane-died": self._exit_hook(record.name)},
            )
            action = "resumed" if resumed else "started" if existing is None else "restarted"
        return Launch(record.name, action, record.branch, worktree, created, tuple(notes))

    def _known_session(self, record: AgentRecord, existing: AgentRecord) -> str:
        """The conversation to resume: the newest one its hooks reported, else the one last recorded."""
        profile = get_profile(record.profile)
        reported = latest_session(self.paths.events(record.name), profile.hooks) if profile.hooks else ""
        return reported or (existing.session_id if existing.profile == record.profile else "")

    def _prepare(self, record: AgentRecord, worktree: Path, restart: bool) -> tuple[list[str], dict[str, str], list[str], bool]:
        """Install the profile's structured-event hooks; the final argv, environment, notes, and whether it resumes."""
        profile = get_profile(record.profile)
        setup = install_hooks(profile, worktree, self.paths.events(record.name), overlap_guard=self.state.settings.overlap_guard)
        env = {**self._agent_env(record), **setup.env}
        own_program = record.argv[:1] == [profile.resolved_program()]
        if restart:
            resume, why = _resume_argv(record, profile, own_program, setup.args)
            if resume is not None:
                return resume, env, setup.notes, True
            setup.notes.append(f"could not resume its conversation ({why}): started afresh on its task")
        argv = record.argv
        if setup.args and own_program:
            argv = profile.argv(record.task, record.args + setup.args)  # hook arguments go before the task
        return argv, env, setup.notes, False

    def _agent_env(self, record: AgentRecord) -> dict[str, str]:
        """The agent's environment: the caller's PATH etc. (the tmux server may be older), then cockpit's, then the user's."""
        env = {k: os.environ[k] for k in ENV_PASSED if k in os.environ}
        env.update(
            {
                "COCKPIT_AGENT": record.name,
                "COCKPIT_TASK": record.task,
                "COCKPIT_EVENTS": str(self.paths.events(record.name)),
                "COCKPIT_REPO": str(self.repo),
            }
        )
        env.update(record.env)
        return env

    def _exit_hook(self, name: str) -> str:
        argv = [sys.executable, "-m", "cockpit.recording.exitnote", str(self.paths.events(name)), "@STATUS@", "@SIGNAL@"]
        return run_shell_hook(argv, {"@STATUS@": "#{pane_dead_status}", "@SIGNAL@": "#{pane_dead_signal}"})

    def _type_task(self, record: AgentRecord) -> None:
        """For agents that take their task typed: wait for their prompt, then type it."""
        profile = get_profile(record.profile)
        patterns = [re.compile(p, re.MULTILINE) for p in profile.screen.idle]
        deadline = time.monotonic() + TYPED_TASK_TIMEOUT
        while time.monotonic() < deadline:
            pane = self.panes().get(record.name)
            if pane is None or pane.dead:
                return
            screen = "\n".join(self.tmux.capture([pane.pane_id]).get(pane.pane_id, []))
            if not patterns or any(p.search(screen) for p in patterns):
                break
            time.sleep(0.2)
        self.send(record.name, record.task)



def _resume_argv(record: AgentRecord, profile: Profile, own_program: bool, hook_args: list[str]) -> tuple[list[str] | None, str]:
    """The command line continuing the agent's conversation, or None and why it cannot."""
    if not own_program or not profile.resume:
        return None, "a custom command cannot" if record.profile == CUSTOM else f"profile {profile.name} has no resume arguments"
    if not record.session_id:
        return None, "its hooks never reported a session id"
    return profile.resume_argv(record.session_id, record.args + hook_args), ""


def _await_exit_event(events: Path, timeout: float = EXIT_EVENT_WAIT) -> None:
    """Before a dead pane is respawned: let its pane-died hook write the exit first.

    The hook runs in a background job (~50 ms, longer under load); an exit event landing
    after the new run's `start` would mark the new run exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kinds = [item.get("kind") for item in iter_jsonl(events) if item.get("kind") in ("start", "exit")]
        if not kinds or kinds[-1] == "exit":
            return
        time.sleep(0.02)
