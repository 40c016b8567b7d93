"""Agent names become branches, windows and files: one name, one identity, never two agents in one."""

import subprocess

import pytest

from cockpit.agents import names
from cockpit.errors import CockpitError


def valid_ref(name: str) -> bool:
    return subprocess.run(["git", "check-ref-format", "--branch", names.branch_for(name)], capture_output=True).returncode == 0


@pytest.mark.parametrize("name", ["api", "web-2", "fix_the.date-picker", "A1", "x" * names.MAX_NAME])
def test_valid_names_are_kept_unchanged(name):
    assert names.agent_name(name) == name
    assert valid_ref(name)


@pytest.mark.parametrize(
    ("raw", "suggested"),
    [("x^", "x"), ("~x", "x"), ("x.lock", "x"), ("a:b", "a-b"), ("fix the date", "fix-the-date"), ("a..b", "a.b"), ("-lead-", "lead")],
)
def test_a_name_that_needs_sanitising_is_refused_with_a_suggestion(raw, suggested):
    with pytest.raises(CockpitError) as exc:
        names.agent_name(raw)
    assert repr(raw) in exc.value.message
    assert f"use {suggested!r} instead" in exc.value.hint
    assert names.is_valid(suggested) and valid_ref(suggested)


def test_long_names_are_refused_not_truncated_into_each_other():
    a, b = "x" * 60 + "-alpha", "x" * 60 + "-beta"
    for raw in (a, b):
        with pytest.raises(CockpitError, match="characters long"):
            names.agent_name(raw)


@pytest.mark.parametrize("raw", ["!!!", "", "...", "^~:"])
def test_names_with_nothing_usable_are_refused(raw):
    with pytest.raises(CockpitError) as exc:
        names.agent_name(raw)
    assert "pick another name" in exc.value.hint


@pytest.mark.parametrize("raw", ["Fix the date picker", "a/b\\c", "..lock", "ünïcode name", "x" * 200, "tab\there", "semi;colon$(rm -rf)"])
def test_suggestions_are_valid_branch_names(raw):
    name = names.sanitize(raw)
    assert name == "" or (names.is_valid(name) and valid_ref(name) and "/" not in name)


def test_fanout_names_same_task_same_agent_different_tasks_distinct_names():
    tasks = ["Fix the date picker in the checkout form", "Fix the date picker in the checkout page", "Add /orders pagination"]
    first = names.names_for_tasks(tasks, {})
    got = [name for name, _task in first]
    assert got[0] == "fix-the-date-picker-in" and got[2] == "add-orders-pagination"
    assert got[1].startswith("fix-the-date-picker-in-") and len(set(got)) == 3
    again = names.names_for_tasks(tasks, {name: task for name, task in first})  # a second fanout of the same file
    assert again == first


def test_fanout_names_do_not_depend_on_what_ran_in_between():
    tasks = ["Fix the date picker", "Fix the date picker!"]
    assert names.names_for_tasks(tasks, {}) == names.names_for_tasks(tasks, {})
    existing = {"fix-the-date-picker": "something else entirely"}
    picked = dict(names.names_for_tasks(tasks, existing)).keys()
    assert "fix-the-date-picker" not in picked and len(picked) == 2


def test_a_task_given_twice_is_one_agent():
    assert names.names_for_tasks(["Fix it", "Fix it"], {}) == [("fix-it", "Fix it")]
