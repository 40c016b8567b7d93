"""cockpit review NAME [--approve | --request-changes TEXT] [--comment PATH:LINE TEXT …] [--send]

Alone, it shows the agent's review: the verdict for its branch's current tip and
every comment.  --comment queues a remark on a line of a file (repeatable);
--request-changes queues TEXT as a general remark and marks the tip as needing
changes; --approve approves the tip (a merge queue with require_approval takes
only approved branches).  A verdict lapses when the branch moves.  --send types
every queued comment into the agent as one message.
"""

from __future__ import annotations

import argparse
import time
from pathlib import PurePosixPath

from cockpit.agents import limits
from cockpit.cli import add_repo_arg
from cockpit.commands import open_team
from cockpit.errors import CockpitError
from cockpit.review.store import Comment, Reviews, ReviewState, ReviewSummary


def register(sub) -> None:
    p = sub.add_parser("review", help="comment on, approve or request changes to an agent's branch", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("name")
    verdict = p.add_mutually_exclusive_group()
    verdict.add_argument("--approve", action="store_true", help="approve the branch as it is now")
    verdict.add_argument("--request-changes", metavar="TEXT", help="mark the branch as needing changes; TEXT is queued for the agent")
    p.add_argument("--comment", nargs=2, action="append", default=[], metavar=("PATH:LINE", "TEXT"), help="queue a comment on a line (repeatable)")
    p.add_argument("--send", action="store_true", help="type every queued comment into the agent as one message")
    add_repo_arg(p)
    p.set_defaults(func=run)


def parse_where(value: str) -> tuple[str, int]:
    """`src/app.py:12` -> ("src/app.py", 12); CockpitError naming the value otherwise."""
    path, sep, line = value.rpartition(":")
    example = "as in src/app.py:12"
    if not sep or not path:
        raise CockpitError(f"--comment {value!r}: expected PATH:LINE", f"name the file and the line, {example}")
    if not line.isdigit() or int(line) < 1:
        raise CockpitError(f"--comment {value!r}: the line {line!r} is not a line number (from 1)", f"name the file and the line, {example}")
    if PurePosixPath(path).is_absolute() or ".." in PurePosixPath(path).parts:
        raise CockpitError(f"--comment {value!r}: {path!r} is not a path inside the repository", f"give it relative to the repository, {example}")
    return path, int(line)


def run(args) -> int:
    team = open_team(args)
    reviews = Reviews(team)
    team.agent(args.name)  # an unknown agent is reported before anything is checked or written
    comments = [(*parse_where(where), limits.check_text(text, "--comment", "the comment")) for where, text in args.comment]
    if args.request_changes is not None:
        limits.check_text(args.request_changes, "--request-changes", "the text")
    for path, line, text in comments:
        reviews.add_comment(args.name, path, line, text)
    if args.request_changes is not None:
        reviews.request_changes(args.name, args.request_changes)
    elif args.approve:
        reviews.approve(args.name)
    if args.send:
        reviews.send(args.name)
    summary = reviews.summary(args.name)
    print(headline(args.name, summary))
    acted = bool(comments or args.approve or args.request_changes is not None or args.send)
    if not acted:
        print_comments(reviews.comments(args.name))
    if summary.comments:
        print(f"{summary.comments} comment{'s' * (summary.comments != 1)} queued — `cockpit review {args.name} --send` types them into the agent")
    elif args.send:
        print(f"sent to {args.name} as one message")
    return 0


def headline(name: str, summary: ReviewSummary) -> str:
    tip = summary.tip[:10] if summary.tip else "no branch"
    label = {ReviewState.APPROVED: "approved", ReviewState.CHANGES_REQUESTED: "changes requested", ReviewState.UNREVIEWED: "unreviewed"}
    return f"{name}: {label[summary.state]} at {tip}"


def print_comments(comments: list[Comment]) -> None:
    if not comments:
        print("no comments")
        return
    width = max(len(c.where or "(general)") for c in comments)
    for comment in comments:
        when = f"sent {time.strftime('%Y-%m-%d %H:%M', time.localtime(comment.sent_at))}" if comment.sent_at else "queued"
        first, *rest = comment.text.splitlines() or [""]
        print(f"  {comment.where or '(general)':<{width}}  {when:<22}  {first}")
        for line in rest:
            print(f"  {'':<{width}}  {'':<22}  {line}")
