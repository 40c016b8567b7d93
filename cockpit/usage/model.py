"""What an agent's usage is made of: counts by kind, and the public Usage row."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel


class Usage(BaseModel):
    """An agent's tokens and cost so far; every field None where its CLI writes no usage.

    `input_tokens` counts every prompt token, cached or not; `source` names what it was
    read from ("claude-transcript", "codex-session")."""

    input_tokens: int | None = None
    output_tokens: int | None = None
    cost_usd: float | None = None
    source: str | None = None


NO_USAGE = Usage()


@dataclass(frozen=True)
class Counts:
    """Tokens of one model call (or a running total), split the way they are priced."""

    fresh: int = 0  # prompt tokens read at the full price
    cache_read: int = 0
    cache_write: int = 0
    output: int = 0

    @property
    def input(self) -> int:
        return self.fresh + self.cache_read + self.cache_write

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.fresh + other.fresh, self.cache_read + other.cache_read, self.cache_write + other.cache_write, self.output + other.output)

    def __sub__(self, other: Counts) -> Counts:
        return Counts(self.fresh - other.fresh, self.cache_read - other.cache_read, self.cache_write - other.cache_write, self.output - other.output)
