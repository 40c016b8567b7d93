"""The pane title is read from the agent's own output, so live (tmux's title, re-read only when
panes change) and `analyze` (pyte) judge a screen with the same title."""

from cockpit.agents.profiles import get_profile
from cockpit.detect import AgentTracker
from cockpit.detect.title import SPIN_STALE, Titles

T0 = 1_000.0
CODEX_PROMPT = ["• Ran ls", "  └ calc.py", "", "› Ask Codex to do anything", "", "  mock-model default · ~/repo"]


def test_a_busy_title_in_the_output_beats_a_stale_pane_title():
    tr = AgentTracker(get_profile("codex"), started_at=T0)
    tr.output(T0 + 1, "\x1b]0;⠋ Scripted session | agent\x07\x1b[2J• Ran ls\r\n")
    tr.screen(T0 + 1, CODEX_PROMPT, title="host")  # Codex shows its composer while it works
    assert tr.verdict(T0 + 2.5).state == "working"
    tr.output(T0 + 3, "\x1b]0;Scripted session | agent\x07")  # the turn ended: the spinner went
    tr.screen(T0 + 3, CODEX_PROMPT, title="host")
    assert tr.verdict(T0 + 4.5).state == "idle"


def test_a_spinner_that_stopped_spinning_is_no_work():
    """A live reader that skipped a flood can miss the title that ended the turn: the rows decide then."""
    tr = AgentTracker(get_profile("codex"), started_at=T0)
    for i in range(10):  # it works: a new spinner frame every 0.1 s
        tr.output(T0 + 1 + i / 10, f"\x1b]0;{'⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏'[i]} Scripted session | agent\x07")
    tr.screen(T0 + 2, CODEX_PROMPT)
    assert tr.verdict(T0 + 3.5).state == "working"
    verdict = tr.verdict(T0 + 6)
    assert verdict.state == "idle" and verdict.since == T0 + 1.9 + SPIN_STALE


def test_a_title_split_across_writes_is_read_whole():
    titles = Titles()
    for part in ("\x1b]0;⠙ Scripted", " session\x07\x1b", "]2;[ ! ] Action Required\x1b\\"):
        titles.feed(T0, part)
    assert titles.title == "[ ! ] Action Required"


def test_icon_names_and_other_escapes_are_no_title():
    titles = Titles()
    titles.feed(T0, "\x1b]1;icon\x07\x1b]8;;https://example.com\x07link\x1b]8;;\x07\x1b[1mbold")
    assert titles.title is None
