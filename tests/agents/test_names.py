"""Agent names become branches, windows and files: always valid, readable, unique."""

import subprocess

import pytest

from cockpit.agents import names
from cockpit.errors import CockpitError


@pytest.mark.parametrize(
    "raw",
    ["api", "Fix the date picker", "a/b\\c", "..lock", "x.lock", "-lead-", "ünïcode name", "a..b", "x" * 200, "tab\there", "semi;colon$(rm -rf)"],
)
def test_sanitised_names_are_valid_branch_names(raw):
    name = names.sanitize(raw)
    if not name:
        return
    proc = subprocess.run(["git", "check-ref-format", "--branch", names.branch_for(name)], capture_output=True)
    assert proc.returncode == 0, name
    assert "/" not in name and len(name) <= names.MAX_NAME


def test_empty_names_are_refused():
    with pytest.raises(CockpitError):
        names.agent_name("!!!")


def test_names_from_tasks_are_short_and_unique():
    taken = set()
    got = []
    for task in ["Fix the date picker in the checkout form", "Fix the date picker in the checkout form", "Add /orders pagination"]:
        name = names.unique(names.name_from_task(task), taken)
        taken.add(name)
        got.append(name)
    assert got == ["fix-the-date-picker-in", "fix-the-date-picker-in-2", "add-orders-pagination"]
