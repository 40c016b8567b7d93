"""The price table (prices.toml): data, so a new model is a new table, not code."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

from cockpit.usage.model import Counts


class Price(BaseModel):
    """US dollars per million tokens."""

    model_config = ConfigDict(extra="forbid")

    input: float = Field(ge=0)
    output: float = Field(ge=0)
    cache_read: float | None = Field(default=None, ge=0)
    cache_write: float | None = Field(default=None, ge=0)

    def cost(self, counts: Counts) -> float:
        read = self.input if self.cache_read is None else self.cache_read
        write = self.input if self.cache_write is None else self.cache_write
        return (counts.fresh * self.input + counts.cache_read * read + counts.cache_write * write + counts.output * self.output) / 1e6


@cache
def prices() -> dict[str, Price]:
    text = resources.files("cockpit.usage").joinpath("prices.toml").read_text(encoding="utf-8")
    return {name: Price(**body) for name, body in tomllib.loads(text).items()}


DATED = re.compile(r"(?P<key>.+?)-(\d{8}|\d{4}-\d{2}-\d{2})")  # a model id with its snapshot date


@cache
def price_of(model: str) -> Price | None:
    """The price of `model` (its name, or its name without the date); None when the table does not know it."""
    table = prices()
    if model in table:
        return table[model]
    dated = DATED.fullmatch(model)
    return table.get(dated["key"]) if dated else None


def cost(model: str, counts: Counts) -> float | None:
    price = price_of(model)
    return None if price is None else price.cost(counts)
