"""Observer: wires the control-mode stream to the evidence writers and the verdicts.

cockpit.recording.observer runs it; it owns no I/O loop, so it can be driven
line by line.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from cockpit.agents.store import Store, append_event
from cockpit.overlap.ignore import ignore_from_settings
from cockpit.paths import RepoPaths
from cockpit.recording.control import PaneRow, Recorder
from cockpit.recording.evidence import CpuSampler, WorktreeWatcher
from cockpit.recording.rotate import DEFAULT_MAX_MB
from cockpit.recording.verdicts import VerdictWatch

log = logging.getLogger(__name__)


class Observer:
    """Wires the stream (Recorder) to the evidence writers and the verdicts; owns no I/O loop."""

    def __init__(self, recordings: Path, send, repo: Path | None) -> None:
        self.paths = RepoPaths(repo) if repo is not None else None
        self.sampler = CpuSampler(self.events_path)
        self.watcher = None
        self.verdicts = None
        state = Store(self.paths).load_repo() if self.paths is not None else None
        max_mb = state.settings.recording_max_mb if state else DEFAULT_MAX_MB
        self.recorder = Recorder(recordings, send, on_panes=self.on_panes, on_output=self.sampler.output, max_bytes=int(max_mb * 1024 * 1024))
        if self.paths is not None:
            self.watcher = WorktreeWatcher(self.paths.repo, self.events_path, ignore_from_settings(state.settings if state else None))
            self.verdicts = VerdictWatch(self.paths.repo, self.recorder.command)
        self.recordings = recordings
        self._panes: dict[str, tuple[str, bool]] | None = None  # the first list is the baseline

    def events_path(self, name: str) -> Path:
        return self.paths.events(name) if self.paths else self.recordings / f"{name}.events.jsonl"

    def on_panes(self, rows: list[PaneRow]) -> None:
        now = time.time()
        seen = {row.agent for row in rows if row.agent}
        self._pane_events({row.agent: (row.pane_id, row.dead) for row in rows if row.agent})
        for row in rows:
            if row.agent:
                self.sampler.alive(row.agent, None if row.dead else row.pid, now)
        for gone in set(self.sampler.agents) - seen:
            self.sampler.alive(gone, None, now)
        if self.paths is None:
            return
        self._guarded("following the team", lambda: self._follow(seen))

    def _pane_events(self, panes: dict[str, tuple[str, bool]]) -> None:
        """Births, deaths and disappearances of agent panes, as evidence (readers re-ask tmux then)."""
        if self._panes is not None:
            for agent, (pane_id, dead) in panes.items():
                if self._panes.get(agent) != (pane_id, dead):
                    append_event(self.events_path(agent), "pane", pane=pane_id, dead=dead)
            for agent in self._panes.keys() - panes.keys():
                append_event(self.events_path(agent), "pane", pane=self._panes[agent][0], gone=True)
        self._panes = panes

    def _follow(self, seen: set[str]) -> None:
        self.verdicts.panes_changed()  # re-reads the agent records: the watcher follows the same ones
        self.watcher.follow([r for r in self.verdicts.records() if r.name in seen])

    def lines(self, lines: list[bytes]) -> None:
        for line in lines:
            self.recorder.feed_line(line)
        written = self.recorder.flush()
        if written and self.verdicts is not None:
            self.verdicts.output(written)

    def next_due(self) -> float | None:
        dues = [d for d in (self.sampler.next_due(), self.verdicts.next_due() if self.verdicts else None) if d is not None]
        return min(dues, default=None)

    def run_due(self) -> None:
        if self.verdicts is not None:
            self._guarded("judging the agents", self.verdicts.run_due)
        self.sampler.sample(time.time(), self.verdicts.cpu_wanted() if self.verdicts is not None else None)

    @staticmethod
    def _guarded(what: str, job) -> None:
        """Recording goes on whatever the rest does: a failure is logged, not raised."""
        try:
            job()
        except Exception:
            log.exception("observer: %s failed", what)

    def close(self) -> None:
        self.recorder.close()
        if self.watcher is not None:
            self.watcher.close()
