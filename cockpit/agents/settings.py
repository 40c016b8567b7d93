"""The team's settings that outlive `cockpit up`: typed, shared by every reader.

A layout's keys that later readers need (the overlap radar and its edit guard,
the observer's recording size, the merge queue's test timeout and approval
gate, the notification sinks) are saved in the repository's state as one
TeamSettings; every reader gets the same typed fields, validated once.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from cockpit.recording.notify import NotifySettings
from cockpit.recording.rotate import DEFAULT_MAX_MB

DEFAULT_MERGE_TEST_TIMEOUT = 20 * 60.0


class TeamSettings(BaseModel):
    # "ignore": a state file written by a newer cockpit still loads
    model_config = ConfigDict(extra="ignore")

    overlap_ignore: list[str] = Field(default=[], description="more gitignore-style patterns the overlap radar leaves out")
    overlap_guard: bool = Field(default=False, description="ask an agent before it edits a file another agent changed")
    merge_test_timeout: float = Field(default=DEFAULT_MERGE_TEST_TIMEOUT, description="a merge_test running longer fails its step")
    recording_max_mb: float = Field(default=DEFAULT_MAX_MB, gt=0, le=100_000, description="each recording's live part; older parts are kept gzipped, 4 at most")
    require_approval: bool = Field(default=False, description="the merge queue takes only branches approved at their current tip")
    notify: NotifySettings = Field(default_factory=NotifySettings, description="bell / desktop / tmux message on state changes")


# The layout keys that are TeamSettings fields (the layout declares them with the same types).
LAYOUT_KEYS = tuple(TeamSettings.model_fields)
