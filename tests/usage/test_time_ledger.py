"""Working vs waiting from a replayed timeline of verdicts, as the monitor sees them."""

from __future__ import annotations

from cockpit.agents.accounting import TimeLedger


def test_a_replayed_timeline_splits_working_from_waiting():
    start = 1000.0
    ledger = TimeLedger(start)
    # (when the monitor asked, state, since): each state dated from its evidence
    timeline = [
        (1001, "starting", start),
        (1005, "working", 1003.0),
        (1010, "working", 1003.0),  # asked again: the same stretch
        (1042, "needs_input", 1040.0),
        (1100, "working", 1090.0),  # 50 s waiting for the human
        (1130, "looping", 1120.0),  # looping counts as working
        (1200, "stalled", 1150.0),  # neither
        (1300, "idle", 1250.0),
    ]
    for _asked, state, since in timeline:
        ledger.observe(state, since)
    working, waiting = ledger.totals(1400.0)
    assert working == (1040 - 1003) + (1120 - 1090) + (1150 - 1120)
    assert waiting == (1090 - 1040) + (1400 - 1250)  # the open idle stretch counts up to now


def test_stretches_before_the_run_started_do_not_count():
    ledger = TimeLedger(500.0)
    ledger.observe("idle", 400.0)  # an older run's evidence
    assert ledger.totals(560.0) == (0.0, 60.0)
