"""The merge queue: land finished agent branches in a safe, rehearsed order.

    plan = make_plan(repo, base, records, verdicts=agent_states(team))  # candidates, conflicts, order
    plan.rehearse(["api", "web"])                           # simulate any order, nothing moves
    report = run_merge(plan, ["api", "web"], test="pytest -q", progress=callback)
    send_back(repo, record, base, send=team.send)           # conflict handed to its agent
    cleanup(repo, base, records, report.landed, remove=team.remove)

No textual here; the merge screen and `cockpit merge` both drive these.
"""

from cockpit.mergeq.candidates import Candidate, FileStat, commit_worktree
from cockpit.mergeq.cleanup import Removable, cleanup, merged_agents
from cockpit.mergeq.deps import Dependency
from cockpit.mergeq.land import MergeReport, Progress, StepOutcome, run_merge
from cockpit.mergeq.order import Position
from cockpit.mergeq.plan import Plan, make_plan
from cockpit.mergeq.rehearse import Rehearsal, StepPrediction
from cockpit.mergeq.sendback import SentBack, send_back
from cockpit.mergeq.turns import agent_states

__all__ = [
    "Candidate",
    "Dependency",
    "FileStat",
    "MergeReport",
    "Plan",
    "Position",
    "Progress",
    "Rehearsal",
    "Removable",
    "SentBack",
    "StepOutcome",
    "StepPrediction",
    "agent_states",
    "cleanup",
    "commit_worktree",
    "make_plan",
    "merged_agents",
    "run_merge",
    "send_back",
]
