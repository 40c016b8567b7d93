"""TeamMonitor: the live view of a team, shared by `cockpit status` and the TUI.

It feeds each agent's AgentTracker from the three sources of truth — the
recordings (output with timestamps, structured events), tmux (is the pane
there, did it die), git (what changed) — and answers status rows.  The TUI
calls the same methods when watchfiles reports a change; `status` calls them
once.  Screens are read from tmux only for agents whose output changed.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel
from watchfiles import awatch

from cockpit.agents.accounting import Accounting
from cockpit.agents.profiles import get_profile
from cockpit.agents.reviewcache import ReviewCache
from cockpit.agents.store import AgentRecord
from cockpit.agents.team import Team
from cockpit.detect import AgentTracker, Source, Verdict
from cockpit.errors import CockpitError
from cockpit.git import gitutil
from cockpit.overlap.ignore import ignore_from_settings
from cockpit.paths import private_dir
from cockpit.recording.cast import OUTPUT, CastTail, JsonlTail
from cockpit.review.store import ReviewState, ReviewSummary
from cockpit.tmux.server import PaneInfo
from cockpit.usage.model import NO_USAGE, Usage

REPLAY_BYTES = 256 * 1024  # how much recent output a fresh monitor replays per agent
# The most one read takes of an agent's new output: a flood (~1 MB/s) is judged by its
# newest 4 KiB per read, so a live reader keeps up (the whole stream froze the TUI for
# minutes); `analyze` reads everything.
INGEST_BYTES = 4 * 1024
EXIT_STATUS_WAIT = 2.0  # longest a one-shot refresh waits for a just-dead pane's exit status


class AlertRow(BaseModel):
    kind: str
    message: str
    since: float


class WhyRow(BaseModel):
    """The evidence behind `state` (the tracker's Why)."""

    source: Source  # hook, screen, output, cpu, files, pane or none
    detail: str
    since: float  # epoch seconds: when that evidence started to hold


class AgentStatus(BaseModel):
    """One row of `cockpit status --json` (a public contract: field names are fixed)."""

    name: str
    profile: str
    branch: str
    worktree: str
    state: str
    exit_code: int | None
    last_output_at: float | None
    recording: str
    changed_files: list[str]
    alerts: list[AlertRow]
    why: WhyRow
    usage: Usage = NO_USAGE  # tokens and cost where the CLI writes them (all None where it does not)
    started_at: float = 0.0  # epoch seconds: when this run started
    working_s: float = 0.0  # seconds of this run spent working or looping
    waiting_s: float = 0.0  # seconds of this run spent waiting for the human (needs_input, idle)
    burn_usd_per_min: float | None = None  # spending over the last few minutes; None without priced usage
    review: ReviewSummary = ReviewSummary(state=ReviewState.UNREVIEWED, tip=None, comments=0)


@dataclass
class AgentView:
    record: AgentRecord
    tracker: AgentTracker
    cast: CastTail
    events: JsonlTail
    accounting: Accounting  # time working/waiting and usage
    pane: PaneInfo | None = None
    changed_files: list[str] = field(default_factory=list)
    verdict: Verdict | None = None
    worktree: str = ""  # absolute paths, resolved once (resolving is a syscall per part)
    recording: str = ""


class TeamMonitor:
    def __init__(self, team: Team, clock=time.time) -> None:
        self.team = team
        self.clock = clock
        self.views: dict[str, AgentView] = {}
        self._reviews = ReviewCache(team)  # one per monitor: it remembers what it read
        self.lock = threading.RLock()
        self._panes_stale = False  # a pane event or a record change: re-read tmux's pane list

    # --- sources ----------------------------------------------------------
    def sync_records(self) -> set[str]:
        """Pick up agents added or removed since the last call; returns the new names."""
        with self.lock:
            records = {r.name: r for r in self.team.agents()}
            for gone in set(self.views) - set(records):
                del self.views[gone]
            added = set()
            for name, record in records.items():
                view = self.views.get(name)
                if view is None:
                    self.views[name] = self._new_view(record)
                    added.add(name)
                else:
                    view.record = record
            return added

    def _new_view(self, record: AgentRecord) -> AgentView:
        paths = self.team.paths
        profile = get_profile(record.profile)
        tracker = AgentTracker(profile, self.team.state.stall_after, record.created_at)
        worktree = Path(record.worktree).resolve()
        return AgentView(
            record=record,
            tracker=tracker,
            cast=CastTail(paths.recording(record.name), start_bytes_from_end=REPLAY_BYTES, max_bytes=INGEST_BYTES),
            events=JsonlTail(paths.events(record.name)),
            worktree=str(worktree),
            recording=str(paths.recording(record.name).resolve()),
            accounting=Accounting(profile, record, worktree),
        )

    def sync_panes(self) -> dict[str, PaneInfo]:
        """Tell every tracker what tmux says about its pane (one tmux call)."""
        panes = self.team.panes()
        if any(p.dead and p.exit_code is None for p in panes.values()):
            self.team.tmux.nudge_reaper()
        now = self.clock()
        with self.lock:
            for name, view in self.views.items():
                pane = panes.get(name)
                view.pane = pane
                view.tracker.pane(now, pane is not None, bool(pane and pane.dead), pane.exit_code if pane else None)
        return panes

    def ingest(self, names: set[str] | None = None) -> set[str]:
        """Read what was appended to recordings and event files; returns agents with new output."""
        with self.lock:
            changed = set()
            for name in names if names is not None else set(self.views):
                view = self.views.get(name)
                if view is None:
                    continue
                for item in view.events.read():
                    kind = str(item.get("kind", ""))
                    if kind == "pane":  # the observer saw the window come, die or go: ask tmux which
                        self._panes_stale = True
                    view.tracker.event(float(item.get("t", 0.0)), kind, item)
                for event in view.cast.read():
                    if event.code == OUTPUT:
                        view.tracker.output(event.t, event.data)
                        changed.add(name)
            return changed

    def read_screens(self, names: set[str]) -> dict[str, list[str]]:
        """Screens of live agents whose output changed, in one tmux call, fed to their trackers."""
        with self.lock:
            targets = {
                view.pane.pane_id: name
                for name, view in self.views.items()
                if name in names and view.pane is not None and not view.pane.dead
            }
        screens = self.team.tmux.capture(list(targets))
        now = self.clock()
        for pane_id, lines in screens.items():
            self.feed_screen(targets[pane_id], lines, now)
        return {targets[pane_id]: lines for pane_id, lines in screens.items()}

    def feed_screen(self, name: str, lines: list[str], now: float | None = None) -> None:
        """A screen of `name` read elsewhere (the observer reads them over its control connection)."""
        now = self.clock() if now is None else now
        with self.lock:
            view = self.views.get(name)
            if view is not None:
                pane = view.pane
                view.tracker.screen(now, lines, pane.title if pane else "", pane.width if pane else None)

    def pane_of(self, name: str) -> PaneInfo | None:
        with self.lock:
            view = self.views.get(name)
            return view.pane if view else None

    def refresh_changes(self, names: set[str] | None = None) -> None:
        """Files each agent changed vs its base, committed or not (git), minus scratch files.

        The live TUI gets the same sets from the overlap radar (set_changed_files).
        """
        ignore = ignore_from_settings(self.team.state.settings)
        with self.lock:
            targets = [(n, v.record) for n, v in self.views.items() if names is None or n in names]
        for name, record in targets:
            worktree = Path(record.worktree)
            files = ignore.filter(gitutil.changed_files(worktree, record.base)) if worktree.is_dir() else []
            with self.lock:
                if name in self.views:
                    self.views[name].changed_files = files

    def set_changed_files(self, files: dict[str, list[str]]) -> None:
        """Changed files computed elsewhere (the overlap radar), agent by agent."""
        with self.lock:
            for name, paths in files.items():
                if name in self.views:
                    self.views[name].changed_files = paths

    def refresh_all(self) -> None:
        """Everything once, from scratch: what `cockpit status` does."""
        self.sync_records()
        self.ingest()
        self.sync_panes()
        deadline = time.monotonic() + EXIT_STATUS_WAIT
        while self._exit_status_pending() and time.monotonic() < deadline:
            # tmux marks a pane dead on EOF a moment before it reaps the exit status
            # (and before the pane-died hook writes it): wait for one of the two.
            time.sleep(0.05)
            self.ingest()
            self.sync_panes()
        self.read_screens(set(self.views))
        self.refresh_changes()

    def watch_dirs(self) -> list[Path]:
        """Folders whose changes are pushed to a live monitor: recordings, agent records, tmux's socket."""
        paths = self.team.paths
        for folder in (paths.recordings_dir, paths.agents_dir):
            private_dir(folder)
        socket_dir = self.team.tmux.socket_path.parent
        return [paths.recordings_dir, paths.agents_dir] + ([socket_dir] if socket_dir.is_dir() else [])

    async def follow(self, stop_event=None) -> AsyncIterator[set[str]]:
        """Agents whose view changed, as the evidence files (and tmux's socket) change: pushed, not polled.

        step=50: watchfiles wakes every `step` ms even when idle (0.09 % of a core at 50, 0.25 % at 20)."""
        socket = self.team.tmux.socket_path
        dirs = self.watch_dirs()
        ours = {str(d) for d in dirs} - {str(socket.parent)}
        keep = lambda _change, path: os.path.dirname(path) in ours or path == str(socket)  # noqa: E731
        async for batch in awatch(*dirs, watch_filter=keep, debounce=300, step=50, recursive=False, stop_event=stop_event):
            agents = await asyncio.to_thread(self.on_paths_changed, {Path(path) for _change, path in batch})
            if agents:
                yield agents

    def on_paths_changed(self, changed: set[Path]) -> set[str]:
        """Handle a batch of file changes under watch_dirs(); returns agents whose view changed."""
        paths = self.team.paths
        touched: set[str] = set()
        records_changed = False
        for path in changed:
            if path.parent == paths.agents_dir:
                records_changed = True
            elif path.parent == paths.recordings_dir:
                touched.add(path.name.split(".", 1)[0])
            elif path == self.team.tmux.socket_path:  # the tmux server started or ended
                self._panes_stale = True
                touched |= set(self.views)
        if records_changed:
            touched |= self.sync_records()
            self._panes_stale = True
        with_output = self.ingest(touched)
        if self._panes_stale:
            self._panes_stale = False
            self.sync_panes()
        if with_output:
            self.read_screens(with_output)
        return touched

    def tail(self, name: str, history: int = 500) -> list[str] | None:
        """The agent's screen and recent scrollback with colours (ANSI), from tmux; None without a pane."""
        with self.lock:
            view = self.views.get(name)
            pane = view.pane if view else None
        if pane is None:
            return None
        return self.team.tmux.capture([pane.pane_id], escapes=True, history=history).get(pane.pane_id)

    def _exit_status_pending(self) -> bool:
        now = self.clock()
        with self.lock:
            return any(
                v.pane is not None and v.pane.dead and v.tracker.verdict(now).exit_code is None for v in self.views.values()
            )

    # --- answers ----------------------------------------------------------
    def snapshot(self, now: float | None = None) -> list[AgentStatus]:
        now = self.clock() if now is None else now
        rows = []
        with self.lock:
            for view in self.views.values():
                review = self._review(view.record.name, view.record.branch)
                if review is None:
                    continue
                verdict = view.tracker.verdict(now)
                view.verdict = verdict
                record = view.record
                why = verdict.why
                accounting = view.accounting
                started_at = view.tracker.started_at
                accounting.observe(started_at, verdict.state, verdict.since)
                working_s, waiting_s = accounting.ledger.totals(now)
                rows.append(  # built from known-good values: construct, no validation on this hot path
                    AgentStatus.model_construct(
                        name=record.name,
                        profile=record.profile,
                        branch=record.branch,
                        worktree=view.worktree,
                        state=verdict.state,
                        exit_code=verdict.exit_code,
                        last_output_at=view.tracker.last_output_at,
                        recording=view.recording,
                        changed_files=list(view.changed_files),
                        alerts=[AlertRow.model_construct(kind=a.kind, message=a.message, since=a.since) for a in verdict.alerts],
                        why=WhyRow.model_construct(source=why.source, detail=why.detail, since=why.since),
                        usage=accounting.usage(now),
                        started_at=started_at,
                        working_s=working_s,
                        waiting_s=waiting_s,
                        burn_usd_per_min=accounting.burn_usd_per_min(now),
                        review=review,
                    )
                )
        return rows

    def _review(self, name: str, branch: str) -> ReviewSummary | None:
        """The agent's review; None when it was removed since sync_records (its row goes with it)."""
        try:
            return self._reviews.summary(name, branch)
        except CockpitError:
            if self.team.store.agent(name) is None:
                return None
            raise
