"""`cockpit analyze RECORDING`: replay a recording through the detectors.

Prints when the agent was working, waiting, idle, stalled or looping, and
why.  Useful after the fact ("when did it start looping?") and for tests.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from cockpit.agents.layout import DEFAULT_STALL_AFTER, parse_duration
from cockpit.agents.profiles import CUSTOM, Profile, get_profile
from cockpit.agents.store import AgentRecord
from cockpit.detect.replay import Analysis, replay
from cockpit.errors import CockpitError
from cockpit.recording.cast import iter_jsonl, read_events

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    from cockpit.cli import add_repo_arg

    p = sub.add_parser(
        "analyze",
        help="replay a recording and print the agent's states over time",
        description="Replay an asciicast v2 recording (and its sibling NAME.events.jsonl, if any) "
        "through cockpit's detectors and print the verdicts over time.",
    )
    add_repo_arg(p)
    p.add_argument("recording", metavar="RECORDING", type=Path, help="an asciicast v2 file (.cast)")
    p.add_argument("--json", action="store_true", help='print {"final_state", "verdicts": [{"t", "state", "detail"}]}')
    p.add_argument("--profile", metavar="P", help="agent profile whose screen rules apply (default: the agent's own, else generic)")
    p.add_argument("--stall-after", metavar="SECONDS", type=_duration, default=None, help=f"stall window (default {int(DEFAULT_STALL_AFTER)}s)")
    p.set_defaults(func=run)


def _duration(text: str) -> float:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def events_path(recording: Path) -> Path:
    """`name.cast` → `name.events.jsonl` (cockpit's sibling event file)."""
    stem = recording.name[: -len(".cast")] if recording.name.endswith(".cast") else recording.name
    return recording.with_name(f"{stem}.events.jsonl")


def guess_profile(recording: Path) -> Profile:
    """The profile of the agent a cockpit recording belongs to (agents/<name>.json beside recordings/), else generic."""
    stem = recording.name[: -len(".cast")] if recording.name.endswith(".cast") else recording.stem
    record = recording.parent.parent / "agents" / f"{stem}.json"
    try:
        return get_profile(AgentRecord.model_validate_json(record.read_text(encoding="utf-8")).profile)
    except FileNotFoundError:
        return get_profile(CUSTOM)  # not a cockpit recording: nothing says which agent made it
    except (OSError, ValueError, CockpitError) as exc:
        log.warning("%s: cannot read its agent record %s (%s); using the generic profile", recording, record, exc)
        return get_profile(CUSTOM)


def analyze(recording: Path, profile: Profile | None = None, stall_after: float | None = None) -> Analysis:
    if not recording.is_file():
        raise CockpitError(f"{recording}: no such recording", "give the path of a .cast file")
    try:
        header, events = read_events(recording)
    except (ValueError, UnicodeDecodeError) as exc:
        raise CockpitError(f"{recording}: not an asciicast v2 recording ({exc})") from None
    if header is None:
        raise CockpitError(f"{recording}: empty recording")
    extra = list(iter_jsonl(events_path(recording)))
    return replay(header, events, extra, profile or guess_profile(recording), stall_after or DEFAULT_STALL_AFTER)


def run(args: argparse.Namespace) -> int:
    profile = get_profile(args.profile) if args.profile else None
    result = analyze(args.recording, profile, args.stall_after)
    if args.json:
        out = {
            "final_state": result.final.state,
            "verdicts": [{"t": c.t, "state": c.state, "detail": c.detail} for c in result.changes],
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for change in result.changes:
        print(f"{change.t:9.1f}s  {change.state:<12} {change.detail}")
    final = result.final
    print(f"final ({result.duration:.1f}s): {final.state} — {final.detail}")
    for alert in final.alerts:
        print(f"  alert: {alert.kind}: {alert.message}")
    return 0
