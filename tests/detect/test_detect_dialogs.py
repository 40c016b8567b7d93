"""Generic dialogs are needs_input for any command; numbered lists in ordinary output are not."""

from __future__ import annotations

import pytest

from cockpit.agents.profiles import generic_rules, get_profile
from cockpit.detect.screen import ScreenClassifier

DIALOGS = {
    "cursor on the first choice": ["Deploying to staging", "Pick a target:", "❯ 1. Yes", "  2. Yes, and don't ask again", "  3. No", "", "Esc to cancel · Tab to amend"],
    "cursor on a later choice": ["Apply the migration?", "  1. Apply", "› 2. Skip", "  3. Abort"],
    "choices under a question, no cursor": ["Overwrite config.yaml?", "1) Yes", "2) No"],
    "question ending the screen": ["Installed 3 packages.", "Do you want to continue with the upgrade?"],
    "allow question": ["Tool call: rm -rf build/", "Allow this command? (y/n/always)"],
    "choices with two key-hint lines": ["Would you like to run the following command?", "$ make deploy", "› 1. Yes, proceed", "  2. No", "", "Press enter to confirm", "↑/↓ to select"],
}

NOT_DIALOGS = {
    "numbered list in output": ["Steps:", "1. Install the package", "2. Run the tests", "3. Commit"],
    "numbered list then a shell prompt": ["> 1. first quoted item", "  2. second item", "$ "],
    "quoted dialog in grep output": ['src/ui.tsx:12:  "Do you want to proceed?"', 'src/ui.tsx:13:  "❯ 1. Yes"', 'src/ui.tsx:14:  "  2. No"', "$ "],
    "question asked in prose, then more output": ["Do you want to keep the old API?", "I kept it for now.", "Running the tests next."],
    "choices long above the end": ["❯ 1. Yes", "  2. No", "Answered: Yes", "Running…", "done", "$ "],
}


def classify(lines: list[str], profile: str = "custom"):
    return ScreenClassifier(get_profile(profile).screen, generic_rules()).classify(lines)


@pytest.mark.parametrize("lines", DIALOGS.values(), ids=DIALOGS.keys())
def test_a_dialog_is_needs_input_for_any_command(lines):
    assert classify(lines).state == "needs_input"


@pytest.mark.parametrize("lines", NOT_DIALOGS.values(), ids=NOT_DIALOGS.keys())
def test_ordinary_output_is_not_a_dialog(lines):
    assert classify(lines).state != "needs_input"


def test_the_dialog_line_is_the_detail():
    assert classify(DIALOGS["cursor on a later choice"]).line == "› 2. Skip"
