"""A merge plan: the candidates, what is left out and why, and the suggested order.

`make_plan` is what the CLI and the merge screen start from; `Plan.rehearse`
re-simulates any order the human arranges (cached, so a reorder only merges the
steps that moved), and `Plan.check_order` says what is wrong with one before it
runs for real.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cockpit.agents.store import AgentRecord
from cockpit.errors import CockpitError
from cockpit.mergeq.candidates import EMPTY, Candidate, base_tip, gather, pairwise_conflicts
from cockpit.mergeq.deps import Dependency, check_acyclic, dependencies
from cockpit.mergeq.order import Position, suggest
from cockpit.mergeq.rehearse import Rehearsal, Rehearser


@dataclass
class Plan:
    repo: Path
    base: str
    base_tip: str
    candidates: list[Candidate]  # every agent, in the order given
    deps: dict[str, list[Dependency]]  # agent -> what must land before it
    conflicts: dict[frozenset[str], list[str]]  # pair of agents with commits -> conflicting paths
    blocked: dict[str, str]  # mergeable on its own, but waits for a left-out agent -> why
    suggested: list[Position]
    rehearser: Rehearser = field(repr=False)

    @property
    def by_name(self) -> dict[str, Candidate]:
        return {c.name: c for c in self.candidates}

    @property
    def mergeable(self) -> list[Candidate]:
        return [c for c in self.candidates if c.eligible and c.name not in self.blocked]

    @property
    def excluded(self) -> list[tuple[str, str]]:
        """(agent, reason) for every agent that is not in the plan."""
        return [(c.name, self.blocked.get(c.name) or c.reason) for c in self.candidates if c.name not in self.order]

    @property
    def order(self) -> list[str]:
        return [p.agent for p in self.suggested]

    def conflicts_of(self, name: str) -> dict[str, list[str]]:
        """{other agent: conflicting paths} for one agent."""
        return {next(iter(pair - {name})): files for pair, files in self.conflicts.items() if name in pair}

    def rehearse(self, order: list[str] | None = None) -> Rehearsal:
        """Simulate merging `order` (default: the suggested one); never moves anything."""
        cands = self.by_name
        names = self.order if order is None else order
        missing = [n for n in names if n not in cands or cands[n].tip is None]
        if missing:
            raise CockpitError(f"no branch to rehearse for {', '.join(missing)}")
        return self.rehearser.rehearse([(n, cands[n].tip) for n in names])

    def problems(self, order: list[str]) -> list[str]:
        """Why `order` cannot be merged as given ([] when it can)."""
        cands = self.by_name
        problems = []
        seen: set[str] = set()
        for name in order:
            cand = cands.get(name)
            if cand is None:
                problems.append(f"no agent named {name!r} (agents: {', '.join(sorted(cands)) or 'none'})")
            elif name in seen:
                problems.append(f"{name} appears twice")
            elif not cand.eligible:
                problems.append(f"{name} is left out: {cand.reason}")
            elif name in self.blocked:
                problems.append(f"{name} is left out: {self.blocked[name]}")
            else:
                for dep in self.deps.get(name, []):
                    if dep.agent not in seen:
                        problems.append(f"{name} must land {dep.describe()}: put {dep.agent} before {name}")
            seen.add(name)
        return problems

    def check_order(self, order: list[str]) -> list[Candidate]:
        """The candidates of `order`, or CockpitError naming every problem."""
        problems = self.problems(order)
        if problems:
            raise CockpitError("cannot merge in that order: " + "; ".join(problems), "see `cockpit merge plan`")
        return [self.by_name[n] for n in order]


def make_plan(
    repo: Path,
    base: str,
    records: list[AgentRecord],
    verdicts: Mapping[str, str] | None = None,
    include: set[str] | frozenset[str] = frozenset(),
    require_approval: bool | None = None,
) -> Plan:
    """Gather every agent's branch, find conflicts and dependencies, and suggest an order.

    `verdicts`: {agent: state} as the table shows it (turns.agent_states); agents still
    in their turn wait unless included.  `require_approval` (default: the repository's
    setting) leaves out branches not approved at their tip."""
    candidates = gather(repo, base, records, verdicts=verdicts, include=include, require_approval=require_approval)
    tip = base_tip(repo, base)
    deps = dependencies(repo, tip, candidates)
    check_acyclic(deps)
    blocked = _blocked(candidates, deps)
    mergeable = [c for c in candidates if c.eligible and c.name not in blocked]
    conflicts = pairwise_conflicts(repo, [c for c in candidates if c.commits])
    rehearser = Rehearser(repo, tip)
    suggested = suggest(mergeable, conflicts, deps, rehearser)
    return Plan(repo, base, tip, candidates, deps, conflicts, blocked, suggested, rehearser)


def _blocked(candidates: list[Candidate], deps: dict[str, list[Dependency]]) -> dict[str, str]:
    """Eligible agents that depend (directly or not) on an agent left out, with the reason."""
    by_name = {c.name: c for c in candidates}
    out_reason = {c.name: c.reason for c in candidates if not c.eligible and c.state != EMPTY}
    blocked: dict[str, str] = {}
    changed = True
    while changed:
        changed = False
        for cand in candidates:
            if cand.name in blocked or cand.name in out_reason:
                continue
            for dep in deps.get(cand.name, []):
                if dep.agent in out_reason or dep.agent in blocked:
                    state = by_name[dep.agent].short_reason if dep.agent in out_reason else "waiting"
                    blocked[cand.name] = f"{dep.describe()}, which is left out ({state})"
                    changed = True
                    break
    return blocked
