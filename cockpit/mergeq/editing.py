"""The order a human arranges for the merge queue: the rules, without a screen.

The merge screen turns keys into these calls and shows the result; nothing
here renders, talks to git or knows about threads.  An order may break a
dependency for a while (the human is moving things about): `problems()` says
so, and the merge refuses such an order, but the edit itself is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.mergeq.candidates import INCLUDABLE
from cockpit.mergeq.plan import Plan


@dataclass(frozen=True)
class Edit:
    """What one edit did: changed the order, needs a new plan (and why), or was refused (and why)."""

    changed: bool = False
    replan: str = ""
    refused: str = ""


def insert_by_suggestion(order: list[str], name: str, suggested: list[str]) -> None:
    """Put `name` back where the suggested order has it relative to the branches in `order`."""
    rank = {n: i for i, n in enumerate(suggested)}
    mine = rank.get(name, len(rank))
    at = next((i for i, n in enumerate(order) if rank.get(n, len(rank)) > mine), len(order))
    order.insert(at, name)


class QueueOrder:
    """The order on screen, what the human left out, and what they asked to include anyway.

    `include` changes the plan itself (a branch still in its turn or dirty is gathered
    differently), so edits of it answer `Edit(replan=…)`; the rest is order only."""

    def __init__(self) -> None:
        self.plan: Plan | None = None
        self.order: list[str] = []
        self.left_out: set[str] = set()  # ready branches the human took out of the order
        self.include: set[str] = set()  # waiting/dirty branches the human asked to merge anyway

    def adopt(self, plan: Plan) -> None:
        """A new plan: keep the human's arrangement of the branches it still has, new ones where it suggests."""
        old = self.plan
        self.left_out &= set(plan.order)
        if old is None or self.order == old.order:
            self.order = [n for n in plan.order if n not in self.left_out]
        else:
            self.order = [n for n in self.order if n in plan.order]
            for name in plan.order:
                if name not in self.order and name not in self.left_out:
                    insert_by_suggestion(self.order, name, plan.order)
        self.plan = plan

    @property
    def suggested(self) -> bool:
        return self.plan is not None and self.order == self.plan.order

    def problems(self) -> list[str]:
        """Why the order cannot be merged as it stands (dependencies, left-out branches); [] when it can."""
        return self.plan.problems(self.order) if self.plan is not None else []

    def move(self, name: str, delta: int) -> Edit:
        """Swap `name` with its neighbour `delta` (±1) away; nothing at either end."""
        if name not in self.order:
            return Edit(refused=f"{name} is left out: space puts it in the order first")
        i = self.order.index(name)
        j = i + delta
        if not 0 <= j < len(self.order):
            return Edit()
        self.order[i], self.order[j] = self.order[j], self.order[i]
        return Edit(changed=True)

    def toggle(self, name: str) -> Edit:
        """In the order → out; out by choice → back where the plan suggests; left out by the plan →
        included if it only waits for its agent (re-planned), else refused with the reason."""
        plan = self.plan
        if plan is None or name not in plan.by_name:
            return Edit(refused=f"no branch {name!r} in the plan")
        if name in self.order:
            self.order.remove(name)
            if name in self.include:
                self.include.discard(name)
                return Edit(changed=True, replan=f"leaving out {name}")
            self.left_out.add(name)
            return Edit(changed=True)
        if name in self.left_out:
            self.left_out.discard(name)
            insert_by_suggestion(self.order, name, plan.order)
            return Edit(changed=True)
        if name in plan.blocked:
            return Edit(refused=f"{name} waits: it lands {plan.blocked[name]}")
        cand = plan.by_name[name]
        if cand.state in INCLUDABLE and not cand.needs_approval:  # including cannot stand in for an approval
            self.include.add(name)
            return Edit(replan=f"including {name}")
        return Edit(refused=f"{name}: {cand.reason}")

    def reset(self) -> Edit:
        """Back to the suggested order, nothing left out by hand."""
        if self.plan is None:
            return Edit()
        self.left_out.clear()
        self.order = list(self.plan.order)
        return Edit(changed=True)
