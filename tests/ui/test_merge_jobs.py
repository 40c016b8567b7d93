"""The merge screen's messages: a burst of rehearsal reports collapses to the newest that covers the others."""

from __future__ import annotations

from cockpit.ui.merge_jobs import Done, Rehearsed


def test_a_longer_report_of_the_same_rehearsal_replaces_a_shorter_one():
    plan, other = object(), object()
    first = Rehearsed(plan, ("a", "b"), rehearsal=None, error=None)
    assert first.can_replace(Rehearsed(plan, ("a", "b", "c"), None, None))
    assert not first.can_replace(Rehearsed(plan, ("b", "a", "c"), None, None))  # another order: its steps differ
    assert not first.can_replace(Rehearsed(other, ("a", "b", "c"), None, None))  # another plan
    assert not first.can_replace(Rehearsed(plan, ("a", "b", "c"), None, ValueError("no")))  # errors are always shown
    assert not first.can_replace(Done([]))
