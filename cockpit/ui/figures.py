"""How money, tokens, reviews and reasons read in the agent table and the header: short, and
"·" where a CLI gives no figure (never a made-up zero)."""

from __future__ import annotations

from rich.text import Text

from cockpit.agents.monitor import AgentStatus
from cockpit.states import State
from cockpit.timefmt import age

NONE = Text("·", style="dim")
REVIEWS = {
    "approved": ("✓ approved", "bold green"),
    "changes_requested": ("✗ changes", "bold red"),
}


def dollars(usd: float) -> str:
    if usd < 10:
        return f"${usd:.2f}"
    if usd < 1000:
        return f"${usd:.0f}"
    return f"${usd / 1000:.1f}k"


def tokens(n: int) -> str:
    if n < 1000:
        return str(n)
    if n < 1_000_000:
        return f"{n / 1000:.0f}k" if n >= 10_000 else f"{n / 1000:.1f}k"
    return f"{n / 1_000_000:.1f}M"


def cost(usd: float | None) -> Text:
    return NONE if usd is None else Text(dollars(usd))


def review_cell(row: AgentStatus) -> Text:
    """approved ✓, changes requested ✗, or — (unreviewed, or approved at a tip the branch has left)."""
    if row.review.state not in REVIEWS:
        return Text("—", style="dim")
    label, style = REVIEWS[row.review.state]
    return Text(label, style=style)


def why_cell(row: AgentStatus) -> Text:
    """The alerts if any (what repeats, since when), else why the agent is in its state; a
    looping agent also shows what it spends a minute."""
    if row.alerts:
        text = Text(" · ".join(a.message for a in row.alerts), style="yellow")
    else:
        text = Text(row.why.detail, style="dim")
    if row.state == State.LOOPING and row.burn_usd_per_min:
        text = Text.assemble((f"{dollars(row.burn_usd_per_min)}/min ", "bold red"), text)
    return text


def team_total(rows: list[AgentStatus]) -> str:
    """The header's usage figure: tokens in/out and cost over the agents whose CLI reports them."""
    metered = [row.usage for row in rows if row.usage.source is not None]
    if not metered:
        return ""
    tokens_in = sum(u.input_tokens or 0 for u in metered)
    tokens_out = sum(u.output_tokens or 0 for u in metered)
    priced = [u.cost_usd for u in metered if u.cost_usd is not None]
    money = f" · {dollars(sum(priced))}" if priced else ""
    return f"{tokens(tokens_in)} in / {tokens(tokens_out)} out{money}"


def spent(row: AgentStatus, now: float) -> str:
    """The tail title's figures: time working vs waiting for the human this run, and usage."""
    parts = []
    if row.started_at:
        parts.append(f"up {age(now - row.started_at)}: working {age(row.working_s)}, waiting {age(row.waiting_s)}")
    usage = row.usage
    if usage.source is not None:
        tokens_part = f"{tokens(usage.input_tokens or 0)} in / {tokens(usage.output_tokens or 0)} out"
        parts.append(tokens_part + (f" {dollars(usage.cost_usd)}" if usage.cost_usd is not None else ""))
    return " · ".join(parts)
