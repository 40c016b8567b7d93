"""The layouts shipped in layouts/ load, and the demo team covers every scenario it promises."""

from __future__ import annotations

from pathlib import Path

import pytest

from cockpit.agents.layout import load_layout
from cockpit.simagent import SCENARIOS

LAYOUTS = Path(__file__).resolve().parents[2] / "layouts"
FILES = sorted(LAYOUTS.glob("*.toml"))


def test_the_documented_layouts_exist():
    assert {"demo.toml", "feature-split.toml", "fanout.toml"} <= {f.name for f in FILES}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_layout_loads_and_opens_with_a_comment_header(path):
    layout = load_layout(path)
    assert layout.agents
    header = path.read_text(encoding="utf-8").splitlines()[:3]
    assert all(line.startswith("#") for line in header)


def test_demo_runs_only_simulated_agents_covering_the_scenarios():
    layout = load_layout(LAYOUTS / "demo.toml")
    assert {a.profile for a in layout.agents} == {"sim"}
    scenarios = [a.env.get("SIM_SCENARIO") for a in layout.agents]
    assert set(scenarios) <= set(SCENARIOS)
    assert {"work", "overlap", "ask", "loop", "silent", "crash"} <= set(scenarios)
    assert all(a.task for a in layout.agents)


def test_feature_split_orders_three_real_agents():
    layout = load_layout(LAYOUTS / "feature-split.toml")
    by_name = {a.name: a for a in layout.agents}
    assert {a.profile for a in layout.agents} == {"claude", "codex", "aider"}
    assert by_name["frontend"].after == ["backend"]
    assert set(by_name["tests"].after) == {"backend", "frontend"}
    assert layout.merge_test


def test_fanout_takes_shared_settings_from_defaults():
    layout = load_layout(LAYOUTS / "fanout.toml")
    assert len(layout.agents) >= 5
    assert all(a.env == {"CI": "1"} for a in layout.agents)
    profiles = [a.profile for a in layout.agents]
    assert profiles.count("claude") == len(profiles) - 1  # one agent overrides the default
