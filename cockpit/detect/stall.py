"""Stall detection: no output, no file change and no CPU for `stall_after` seconds.

Output here means progress the agent shows (see normalize.progress_key): a
spinner or an elapsed-time counter redrawn on its own is not progress, so an
agent stuck behind a spinner stalls.  A silent but busy agent (a long compile)
keeps its process tree on the CPU and does not.
"""

from __future__ import annotations

CPU_BUSY = 0.05  # CPU seconds per second (5 % of a core) that count as working


class StallClock:
    """When the agent last made progress, and what kind."""

    def __init__(self, stall_after: float, started_at: float, cpu_busy: float = CPU_BUSY) -> None:
        self.stall_after = stall_after
        self.cpu_busy = cpu_busy
        self.last = started_at
        self.last_kind = "start"
        self.kind_since = started_at  # when the progress of the last kind began (a run of cpu, of output…)
        self.share: float | None = None  # the last CPU sample: share of a core the process tree used
        self._cpu: tuple[float, float] | None = None  # (time, cumulative seconds) of the last sample

    def progress(self, t: float, kind: str, began: float | None = None) -> None:
        """Progress of `kind` at `t` (evidence of it from `began`, when that is earlier)."""
        if t >= self.last:
            if kind != self.last_kind:
                self.kind_since = t if began is None else max(began, self.last)
            self.last, self.last_kind = t, kind

    def cpu(self, t: float, seconds: float) -> bool:
        """A cumulative CPU-seconds sample of the agent's process tree; True if it was busy."""
        previous, self._cpu = self._cpu, (t, seconds)
        if previous is None or t <= previous[0]:
            return False
        used = seconds - previous[1]  # negative when a process left the tree: no evidence either way
        if used < 0:
            return False
        self.share = used / (t - previous[0])
        if self.share >= self.cpu_busy:
            self.progress(t, "cpu", previous[0])
            return True
        return False

    def stalled_since(self, now: float) -> float | None:
        """When the stall began, if the agent is stalled at `now`."""
        since = self.last + self.stall_after
        return since if now >= since else None
