"""The suggested merge order, with a reason a human can read for each position.

Branches that conflict with no other branch land first, so a stop at a
conflict leaves the most work landed.  Inside a group that conflicts, the next
branch is the smallest one that merges cleanly onto the result so far
(simulated with the Rehearser, nothing moves).  Dependencies always hold: a
branch is only considered once everything it depends on is placed.
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.errors import CockpitError
from cockpit.mergeq.candidates import Candidate
from cockpit.mergeq.deps import Dependency
from cockpit.mergeq.rehearse import Rehearser


@dataclass(frozen=True)
class Position:
    agent: str
    reason: str


def suggest(
    candidates: list[Candidate],
    conflicts: dict[frozenset[str], list[str]],
    deps: dict[str, list[Dependency]],
    rehearser: Rehearser,
) -> list[Position]:
    """Order `candidates` (all to be merged); `deps` may only point at candidates or landed work."""
    pending = {c.name: c for c in candidates}
    partners: dict[str, dict[str, list[str]]] = {c.name: {} for c in candidates}
    for pair, files in conflicts.items():
        a, b = sorted(pair)
        if a in partners and b in partners:
            partners[a][b] = files
            partners[b][a] = files

    shown = _without_inherited(partners, deps)

    def key(c: Candidate) -> tuple:
        return (c.size, len(c.commits), c.name)

    current = rehearser.base_tip
    placed: list[str] = []
    positions = []
    while pending:
        ready = [c for c in pending.values() if all(d.agent not in pending for d in deps.get(c.name, []))]
        if not ready:
            raise CockpitError(f"no order satisfies the dependencies of {', '.join(sorted(pending))}")
        free = [c for c in ready if not partners[c.name]]
        if free:
            pick = min(free, key=key)
            clean = rehearser.merge(current, pick.tip).clean
        else:
            results = rehearser.probe(current, [c.tip for c in ready])
            merging = [c for c, r in zip(ready, results) if r.clean]
            pick = min(merging or ready, key=key)
            clean = bool(merging)
        waiting = [o for o in partners[pick.name] if o in pending and o not in {c.name for c in ready}]
        reason = _reason(deps.get(pick.name, []), shown[pick.name], placed, waiting, clean)
        positions.append(Position(pick.name, reason))
        placed.append(pick.name)
        del pending[pick.name]
        if clean:
            current = rehearser.advance(current, pick.tip)
    return positions


def _without_inherited(
    partners: dict[str, dict[str, list[str]]], deps: dict[str, list[Dependency]]
) -> dict[str, dict[str, list[str]]]:
    """Drop conflicts a stacked branch only has through the branch it is stacked on.

    A branch stacked on `api` carries api's changes, so it conflicts wherever
    api does; naming api's conflict once, on api, is enough.
    """
    stacked_on = {name: [d.agent for d in ds if d.stacked] for name, ds in deps.items()}

    def inherited(x: str, p: str) -> bool:
        files = partners[x][p]
        via_x = any(partners.get(d, {}).get(p) == files for d in stacked_on.get(x, []))
        via_p = any(partners[x].get(d) == files for d in stacked_on.get(p, []))
        return via_x or via_p

    return {x: {p: f for p, f in ps.items() if not inherited(x, p)} for x, ps in partners.items()}


def _reason(
    deps: list[Dependency],
    partners: dict[str, list[str]],
    placed: list[str],
    waiting: list[str],
    clean: bool,
) -> str:
    parts = [", ".join(d.describe() for d in deps)] if deps else []
    if partners:
        with_files = " and ".join(f"with {other} in {_files(files)}" for other, files in sorted(partners.items()))
        text = f"conflicts {with_files} whichever goes first"
        if not clean:
            text += ": the merge stops here (send it back to its agent, or leave it out)"
        elif waiting:
            text += f"; goes first: {', '.join(sorted(waiting))} must wait for {'its' if len(waiting) == 1 else 'their'} dependencies"
        elif any(other not in placed for other in partners):
            text += "; smaller, so it goes first"
        parts.append(text)
    elif not clean:
        parts.append("conflicts with the branches merged before it: the merge stops here")
    return "; ".join(parts) or "clean"


def _files(files: list[str], limit: int = 3) -> str:
    if len(files) <= limit:
        return ", ".join(files)
    return f"{', '.join(files[:limit])} and {len(files) - limit} more"
