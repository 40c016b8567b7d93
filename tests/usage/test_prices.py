"""The price table: a model is priced by its own name (or its dated id), never by its family's."""

from __future__ import annotations

from cockpit.usage.model import Counts
from cockpit.usage.prices import cost, price_of


def test_dated_ids_take_their_models_price_and_newer_models_have_none():
    assert price_of("claude-sonnet-4-5-20250929") == price_of("claude-sonnet-4-5")
    assert price_of("claude-opus-4-1-20250805") == price_of("claude-opus-4-1")
    assert price_of("gpt-5-2025-08-07") == price_of("gpt-5")
    assert price_of("claude-opus-4-5").input == 5.0 and price_of("claude-opus-4-20250514").input == 15.0
    for unknown in ("claude-opus-4-8", "claude-opus-5-5", "gpt-5.2-codex-max", "mock-model", ""):
        assert price_of(unknown) is None and cost(unknown, Counts(fresh=10)) is None


def test_cache_reads_and_writes_have_their_own_price_or_the_input_price():
    counts = Counts(fresh=1_000_000, cache_read=1_000_000, cache_write=1_000_000, output=1_000_000)
    assert cost("claude-haiku-4-5", counts) == 1.0 + 0.1 + 1.25 + 5.0
    assert cost("gpt-5", counts) == 1.25 + 0.125 + 1.25 + 10.0  # no cache-write price: the input price
