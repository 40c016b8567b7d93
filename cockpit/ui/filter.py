"""The `/` filter over the agent table: a line above it, hidden until asked for.

Typing narrows the table at once (a burst of keystrokes repaints once: each
Query replaces the one before it in the queue); Enter goes back to the table
with the filter kept (its title says so), Esc clears it.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class FilterBar(Input):
    DEFAULT_CSS = """
    FilterBar { display: none; height: 1; border: none; padding: 0 1; background: $boost; }
    FilterBar.-shown { display: block; }
    FilterBar:focus { border: none; }
    """
    BINDINGS = [Binding("escape", "clear", "Clear filter")]

    @dataclass
    class Query(Message):
        """The filter's text now (\"\": no filter)."""

        query: str

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, FilterBar.Query)

    @dataclass
    class Done(Message):
        """Back to the table (the filter stays as it is)."""

    def __init__(self, **kwargs) -> None:
        # disabled while hidden, so that it never takes the focus from the table
        super().__init__(placeholder="filter agents by name, state or task (Enter: keep it, Esc: clear)", disabled=True, **kwargs)

    def open(self) -> None:
        self.disabled = False
        self.add_class("-shown")
        self.focus()

    def _hide(self) -> None:
        self.remove_class("-shown")
        self.disabled = True

    def action_clear(self) -> None:
        self.value = ""
        self._hide()
        self.post_message(self.Query(""))
        self.post_message(self.Done())

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Query(event.value.strip()))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self._hide()
        self.post_message(self.Done())
