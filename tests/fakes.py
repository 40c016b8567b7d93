"""A canned TeamMonitor for deterministic TUI snapshots (no tmux, fixed clock)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from cockpit.agents.monitor import AgentStatus, AlertRow, TeamMonitor, WhyRow
from cockpit.overlap import FileOverlap, Hunk, OverlapReport, PairDetail, PairOverlap, RadarUpdate
from cockpit.recording.notify import NotifySettings

NOW = 1_800_000_000.0


def row(
    name: str, state: str, ago: float | None, changed: int = 0, exit_code: int | None = None, profile: str = "claude", alerts=(), why=("none", "")
) -> AgentStatus:
    return AgentStatus(
        name=name,
        profile=profile,
        branch=f"cockpit/{name}",
        worktree=f"/home/dev/.local/state/cockpit/repos/shop-1234abcd/worktrees/{name}",
        state=state,
        exit_code=exit_code,
        last_output_at=None if ago is None else NOW - ago,
        recording=f"/home/dev/.local/state/cockpit/repos/shop-1234abcd/recordings/{name}.cast",
        changed_files=[f"src/file{i}.py" for i in range(changed)],
        alerts=[AlertRow(kind=k, message=m, since=NOW - 60) for k, m in alerts],
        why=WhyRow(source=why[0], detail=why[1], since=NOW - (ago or 0)),
    )


TEAM_ROWS = [
    row("orders-api", "working", 1, changed=3, why=("output", "new output")),
    row("date-picker", "needs_input", 4, changed=1, profile="codex", why=("screen", 'codex.screen.question[2] matched "› 1. Yes, proceed (y)"')),
    row("search", "stalled", 185, alerts=[("stalled", "no output, file change or CPU since 3m05s")], why=("output", "no output, file change or CPU for 3m05s; last progress: output")),
    row("flaky-db", "looping", 2, changed=2, alerts=[("looping", "'● Bash(npm test)' ×7")], profile="aider", why=("output", "same line 7× in a row: ● Bash(npm test)")),
    row("migrate", "exited", 40, exit_code=3, profile="sim", why=("pane", "exit event: exit code 3")),
    row("docs", "idle", 95, changed=4, profile="gemini", why=("hook", "gemini AfterAgent")),
    row("new-task", "starting", None, profile="opencode", why=("none", "no output yet")),
]

TAIL = [
    "● Read(src/orders.py)",
    "  ⎿  Read 120 lines",
    "",
    "● Edit(src/orders.py)",
    "  ⎿  Added 14 lines, removed 2 lines",
    "      + def paginate(query, page, size=PAGE_SIZE):",
    "      +     return query.offset(page * size).limit(size)",
    "",
    "\x1b[32m● Bash(pytest -q tests/test_orders.py)\x1b[0m",
    "  ⎿  12 passed in 0.41s",
    "",
    "\x1b[1m⠿ working… 38s · ↓ 2,310 tokens\x1b[0m",
]


class FakeMonitor(TeamMonitor):
    """Serves fixed rows and a fixed tail; every I/O method is a no-op."""

    def __init__(self, rows: list[AgentStatus] | None = None) -> None:
        team = SimpleNamespace(
            repo=Path("/home/dev/shop"),
            state=SimpleNamespace(session="shop"),
            paths=SimpleNamespace(recording=lambda name: Path("/nonexistent") / f"{name}.cast"),
            agents=lambda: [],
            notify_settings=NotifySettings(bell=False, desktop=False, tmux=False),
        )
        super().__init__(team, clock=lambda: NOW)
        self.rows = TEAM_ROWS if rows is None else rows

    def refresh_all(self) -> None:
        pass

    def snapshot(self, now: float | None = None) -> list[AgentStatus]:
        return list(self.rows)

    def tail(self, name: str, history: int = 500) -> list[str]:
        return TAIL


# orders-api and date-picker conflict in src/shared.py; docs overlaps cleanly with two agents;
# flaky-db also conflicts with the current tip of main.
OVERLAPS = OverlapReport(
    pairs=(
        PairOverlap(("date-picker", "orders-api"), ("src/orders.py", "src/shared.py"), ("src/shared.py",)),
        PairOverlap(("docs", "flaky-db"), ("README.md", "docs/api.md"), ()),
        PairOverlap(("docs", "orders-api"), ("README.md",), ()),
    ),
    base_conflicts={"flaky-db": ("tests/conftest.py",)},
    files={r.name: {} for r in TEAM_ROWS},
    bases={r.name: "main" for r in TEAM_ROWS},
)

PAIR_DETAILS = {
    ("date-picker", "orders-api"): PairDetail(
        ("date-picker", "orders-api"),
        "4f1c2a9e7b3d5c6a8e0f1b2c3d4e5f6a7b8c9d0e",
        (
            FileOverlap("src/orders.py", False, (Hunk(12, 0, 13, 6),), (Hunk(40, 2, 40, 3), Hunk(58, 1, 59, 1))),
            FileOverlap("src/shared.py", True, (Hunk(3, 1, 3, 1),), (Hunk(2, 2, 2, 3), Hunk(9, 0, 11, 4))),
        ),
    ),
}


class FakeRadar:
    """A canned overlap radar (no git): a fixed report and fixed line ranges."""

    def __init__(self, report: OverlapReport | None = None, details: dict | None = None) -> None:
        self._report = report or OverlapReport()
        self.details = details or {}

    def set_agents(self, agents) -> list[str]:
        return []

    def refresh(self, names=None) -> RadarUpdate:
        return RadarUpdate(tuple(self._report.files), (), (), self._report, True)

    def pair_detail(self, a: str, b: str) -> PairDetail:
        return self.details[tuple(sorted((a, b)))]

    def close(self) -> None:
        pass
