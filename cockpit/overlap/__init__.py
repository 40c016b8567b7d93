"""Overlap radar: which agents change the same files, and which overlaps really conflict.

Core only (no UI): snapshot.py turns a worktree into a throwaway commit,
radar.py merges every pair incrementally into report.py's data (what other
processes read back), hunks.py shows a pair's overlapping
line ranges, watch.py turns filesystem events into agents to refresh.
"""

from cockpit.overlap.hunks import FileOverlap, Hunk, PairDetail
from cockpit.overlap.ignore import DEFAULT_IGNORE, IgnoreList, ignore_from_settings
from cockpit.overlap.radar import AgentState, OverlapRadar
from cockpit.overlap.report import ConflictNews, OverlapReport, PairOverlap, RadarUpdate

__all__ = [
    "DEFAULT_IGNORE",
    "AgentState",
    "ConflictNews",
    "FileOverlap",
    "Hunk",
    "IgnoreList",
    "OverlapRadar",
    "OverlapReport",
    "PairDetail",
    "PairOverlap",
    "RadarUpdate",
    "ignore_from_settings",
]
