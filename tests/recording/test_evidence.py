"""The observer's CPU sampler, without processes: batching, back-off, who is sampled."""

from __future__ import annotations

import json

from cockpit.recording.evidence import EVERY, MAX_EVERY, QUIET, CpuSampler


class Sweeps:
    """A fake process sweep: each agent's tree uses `rate` of a core."""

    def __init__(self, rate: dict[str, float]):
        self.rate, self.calls, self.now = rate, [], 0.0

    def __call__(self, roots: dict[str, int]) -> dict[str, float]:
        self.calls.append(sorted(roots))
        return {name: self.rate[name] * self.now for name in roots}


def sampler(tmp_path, rate):
    sweeps = Sweeps(rate)
    return CpuSampler(lambda name: tmp_path / f"{name}.events.jsonl", sweep=sweeps), sweeps


def tick(s: CpuSampler, sweeps: Sweeps, now: float, wanted=None) -> None:
    sweeps.now = now
    s.sample(now, wanted)


def test_agents_due_close_together_share_one_sweep(tmp_path):
    s, sweeps = sampler(tmp_path, {"a": 1.0, "b": 1.0})
    s.alive("a", 100, 0.0)
    s.alive("b", 101, 1.0)  # due a second later: joins a's sweep
    tick(s, sweeps, QUIET)
    assert sweeps.calls == [["a", "b"]]
    samples = [json.loads(line) for line in (tmp_path / "a.events.jsonl").read_text().splitlines()]
    assert samples[0]["kind"] == "cpu"


def test_a_flat_agent_is_sampled_less_often_until_it_prints(tmp_path):
    s, sweeps = sampler(tmp_path, {"idle": 0.0})
    s.alive("idle", 100, 0.0)
    t = QUIET
    times = []
    while t < 120:
        tick(s, sweeps, t)
        if sweeps.calls and (not times or len(sweeps.calls) > len(times)):
            times.append(t)
        t += 0.5
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert gaps[0] >= EVERY and max(gaps) <= MAX_EVERY + 0.5 and gaps[-1] > gaps[0]  # backs off
    s.output("idle", t)
    assert s.next_due() <= t + EVERY  # output brings it back


def test_only_wanted_agents_are_sampled(tmp_path):
    s, sweeps = sampler(tmp_path, {"work": 1.0, "prompt": 0.0})
    s.alive("work", 100, 0.0)
    s.alive("prompt", 101, 0.0)
    tick(s, sweeps, QUIET, wanted={"work"})
    assert sweeps.calls == [["work"]]
    assert not (tmp_path / "prompt.events.jsonl").exists()
