"""Loop detection: the same unit, or the same cycle of units, over and over.

Units are normalised keys (see normalize.loop_key) of settled lines, prose
sentences or tool calls.  For every period p up to `max_period` the detector
keeps how many units in a row equal the unit p places earlier; a run of
(n - 1) * p such units at the tail means n back-to-back copies of a p-unit
block.  That is O(max_period) per unit and needs no history beyond 2 periods.

Progressing look-alike output never forms such a run, because it differs
somewhere in every line (test names, `[12/340]` counters, percentages, file
names are kept by the normaliser).  Repetition faster than any agent acts (a
listing dumping identical lines at once) never counts; repetition at the pace
of a streaming model (a chanted sentence) needs many more copies.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from cockpit.detect.normalize import letters


@dataclass(frozen=True)
class Loop:
    period: int  # units in one cycle
    count: int  # back-to-back copies of the cycle seen so far
    snippets: tuple[str, ...]  # one cycle, as last shown
    since: float  # when the repetition crossed the threshold
    last: float  # when the loop was last extended
    cycle_seconds: float  # average time per cycle


@dataclass(frozen=True)
class LoopRules:
    max_period: int = 48
    repeats: int = 3  # copies needed for a cycle of two or more units
    repeats_single: int = 4  # copies needed for one unit repeated alone
    repeats_fast: int = 10  # copies needed when cycles come faster than `min_cycle`
    min_cycle: float = 0.3  # seconds per cycle below which it must be a chant (streamed text)
    instant: float = 0.05  # seconds per cycle below which it is a program printing, never a loop
    min_letters: int = 8  # a cycle needs some words; bare punctuation never loops


OUTPUT_RULES = LoopRules()
# Sentences within one paragraph: a model chanting the same text.
CHANT_RULES = LoopRules(max_period=6, repeats=3, repeats_single=4, repeats_fast=4, min_cycle=0.0, instant=0.0, min_letters=12)
# Tool calls from an agent's own hooks: a far stronger signal (Goose and Roo stop at 3).
TOOL_RULES = LoopRules(max_period=6, repeats=3, repeats_single=3, repeats_fast=3, min_cycle=0.0, instant=0.0, min_letters=1)


class LoopDetector:
    def __init__(self, rules: LoopRules = OUTPUT_RULES) -> None:
        self.rules = rules
        size = 2 * rules.max_period + 2
        self._keys: deque[str] = deque(maxlen=size)
        self._shown: deque[str] = deque(maxlen=size)
        self._times: deque[float] = deque(maxlen=size)
        self._run = [0] * (rules.max_period + 1)  # _run[p]: units in a row equal to the one p back
        self._run_start = [0.0] * (rules.max_period + 1)
        self._flagged: dict[int, float] = {}  # period -> when it crossed the threshold
        self.current: Loop | None = None

    def add(self, t: float, key: str, shown: str) -> Loop | None:
        """Add one unit; returns the loop the tail now forms, if any."""
        keys, times = self._keys, self._times
        keys.append(key)
        self._shown.append(shown)
        times.append(t)
        n = len(keys)
        best: Loop | None = None
        rules = self.rules
        for p in range(1, min(rules.max_period, n - 1) + 1):
            if keys[-1] == keys[-1 - p]:
                if self._run[p] == 0:
                    self._run_start[p] = times[-1 - p]
                self._run[p] += 1
            else:
                self._run[p] = 0
                self._flagged.pop(p, None)
                continue
            if best is not None:
                continue
            loop = self._check(p, t)
            if loop is not None:
                best = loop
        self.current = best
        return best

    def _check(self, p: int, t: float) -> Loop | None:
        rules = self.rules
        run = self._run[p]
        copies = 1 + run // p
        if copies < min(rules.repeats_single if p == 1 else rules.repeats, rules.repeats_fast):
            return None
        cycle = (t - self._run_start[p]) / (run / p)
        if cycle < rules.instant:
            return None
        need = rules.repeats_single if p == 1 else rules.repeats
        if cycle < rules.min_cycle:
            need = max(need, rules.repeats_fast)
        if copies < need:
            return None
        offset = run % p  # units of the next copy already seen
        end = len(self._keys) - offset
        block = [self._keys[i] for i in range(end - p, end)]
        if _repeats_within(block) or sum(letters(k) for k in block) < rules.min_letters:
            return None
        since = self._flagged.setdefault(p, t)
        snippets = tuple(self._shown[i] for i in range(end - p, end))
        return Loop(p, copies, snippets, since, t, cycle)


def _repeats_within(block: list[str]) -> bool:
    """Whether the block is itself a shorter block repeated (then that period decides)."""
    p = len(block)
    return any(p % d == 0 and all(block[i] == block[i - d] for i in range(d, p)) for d in range(1, p // 2 + 1))
