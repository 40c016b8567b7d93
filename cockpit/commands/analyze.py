"""`cockpit analyze RECORDING`: replay a recording through the detectors.

Prints when the agent was working, waiting, idle, stalled or looping, and
why.  Useful after the fact ("when did it start looping?") and for tests.
"""

from __future__ import annotations

import argparse
import json
import logging
from dataclasses import asdict
from pathlib import Path

from cockpit.agents.layout import DEFAULT_STALL_AFTER, parse_duration
from cockpit.agents.profiles import CUSTOM, Profile, get_profile
from cockpit.agents.store import AgentRecord, RepoState
from cockpit.detect.replay import Analysis, replay
from cockpit.errors import CockpitError
from cockpit.paths import cockpit_home
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
    p.add_argument("--json", action="store_true", help='print {"final_state", "verdicts": [{"t", "state", "detail", "why": {"source", "detail", "since"}}]}')
    p.add_argument("--profile", metavar="P", help="agent profile whose screen rules apply (default: the agent's own, else generic)")
    p.add_argument("--stall-after", metavar="SECONDS", type=_duration, default=None, help=f"stall window (default: the layout's stall_after for a cockpit agent's recording, else {int(DEFAULT_STALL_AFTER)}s)")
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


def agent_name(recording: Path) -> str:
    return recording.name[: -len(".cast")] if recording.name.endswith(".cast") else recording.stem


def guess_profile(recording: Path) -> Profile:
    """The profile of the agent a cockpit recording belongs to (agents/<name>.json beside recordings/), else generic."""
    stem = agent_name(recording)
    record = recording.parent.parent / "agents" / f"{stem}.json"
    try:
        return get_profile(AgentRecord.model_validate_json(record.read_text(encoding="utf-8")).profile)
    except FileNotFoundError:
        return get_profile(CUSTOM)  # not a cockpit recording: nothing says which agent made it
    except (OSError, ValueError, CockpitError) as exc:
        log.warning("%s: cannot read its agent record %s (%s); using the generic profile", recording, record, exc)
        return get_profile(CUSTOM)


def guess_stall_after(recording: Path) -> float:
    """The stall window the agent ran with, so analyze judges as the table did: its layout's
    `stall_after` when the recording is a known agent's under COCKPIT_HOME
    (repos/<slug>/recordings/NAME.cast, settings in repo.json beside), else the default."""
    recording = recording.resolve()
    root = recording.parent.parent
    known = (root / "agents" / f"{agent_name(recording)}.json").is_file()
    if recording.parent.name != "recordings" or root.parent != cockpit_home() / "repos" or not known:
        return DEFAULT_STALL_AFTER
    settings = root / "repo.json"
    try:
        return RepoState.model_validate_json(settings.read_bytes()).stall_after
    except FileNotFoundError:
        return DEFAULT_STALL_AFTER  # spawned before any layout: the default is what it ran with
    except (OSError, ValueError) as exc:
        log.warning("%s: cannot read %s (%s); using the default stall window", recording, settings, exc)
        return DEFAULT_STALL_AFTER


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
    window = stall_after if stall_after is not None else guess_stall_after(recording)
    return replay(header, events, extra, profile or guess_profile(recording), window)


def run(args: argparse.Namespace) -> int:
    profile = get_profile(args.profile) if args.profile else None
    result = analyze(args.recording, profile, args.stall_after)
    if args.json:
        out = {
            "final_state": result.final.state,
            "verdicts": [{"t": c.t, "state": c.state, "detail": c.detail, "why": asdict(c.why)} for c in result.changes],
        }
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for change in result.changes:
        print(f"{change.t:9.1f}s  {change.state:<12} {change.detail}")
        print(f"{'':12}why: {change.why.source}: {change.why.detail} (since {change.why.since:.1f}s)")
    final = result.final
    print(f"final ({result.duration:.1f}s): {final.state} — {final.detail}")
    print(f"  why: {final.why.source}: {final.why.detail}")
    for alert in final.alerts:
        print(f"  alert: {alert.kind}: {alert.message}")
    return 0
