"""The rehearsal scheduler: one loop at a time, the latest order wins, steps reported as they come."""

from __future__ import annotations

import threading

import pytest

from cockpit.mergeq.scheduler import RehearsalScheduler


class SlowPlan:
    """Rehearses by listing the order; `gate` holds the first rehearsal until the test lets it go."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.gate = threading.Event()
        self.started = threading.Event()
        self.calls: list[tuple[str, ...]] = []
        self.fail_on = fail_on

    def rehearse(self, order: list[str]):
        self.calls.append(tuple(order))
        if self.fail_on in order:
            raise ValueError(f"cannot rehearse {self.fail_on}")
        self.started.set()
        self.gate.wait(5)
        return tuple(order)


def test_keys_during_a_rehearsal_collapse_into_the_latest_order():
    plan = SlowPlan()
    reports = []
    scheduler = RehearsalScheduler(lambda *report: reports.append(report))
    assert scheduler.want(plan, ("a", "b")) is True
    loop = threading.Thread(target=scheduler.run)
    loop.start()
    plan.started.wait(5)
    # three more orders while the first step runs: only the last is rehearsed, and no second loop starts
    assert [scheduler.want(plan, order) for order in [("b", "a"), ("a", "b", "c"), ("c", "a", "b")]] == [False] * 3
    plan.gate.set()
    loop.join(5)
    assert not loop.is_alive()
    full = [r[1] for r in reports if r[2] is not None and len(r[1]) == 3]
    assert full == [("c", "a", "b")]
    assert ("b", "a") not in plan.calls and ("a", "b", "c") not in plan.calls
    assert plan.calls[0] == ("a",)  # the first order stopped after its first step: a newer one waited
    assert scheduler.want(plan, ("a",)) is True  # idle again: the caller starts a new loop


def test_the_moved_pair_is_reported_before_the_rest():
    plan = SlowPlan()
    plan.gate.set()
    reports = []
    scheduler = RehearsalScheduler(lambda *report: reports.append(report[1]))
    scheduler.want(plan, ("a", "b", "c", "d", "e"))
    scheduler.run()
    scheduler.want(plan, ("a", "b", "d", "c", "e"))
    reports.clear()
    scheduler.run()
    assert reports[0] == ("a", "b", "d", "c") and reports[-1] == ("a", "b", "d", "c", "e")


def test_a_failed_rehearsal_is_reported_and_a_crash_frees_the_loop():
    plan = SlowPlan(fail_on="b")
    plan.gate.set()
    reports = []
    scheduler = RehearsalScheduler(lambda *report: reports.append(report))
    scheduler.want(plan, ("a", "b"))
    scheduler.run()
    assert reports[-1][1:3] == (("a", "b"), None) and isinstance(reports[-1][3], ValueError)

    def broken(*_report):
        raise RuntimeError("the screen is gone")

    scheduler.report = broken
    scheduler.want(plan, ("a",))
    with pytest.raises(RuntimeError):
        scheduler.run()
    assert scheduler.want(plan, ("a",)) is True
