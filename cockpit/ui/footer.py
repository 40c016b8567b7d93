"""A footer that keeps its essential keys when the terminal is narrow.

Textual's Footer shows the bindings in order and cuts what does not fit, so at
80 columns `? Help` and `q Quit` (the two keys a newcomer needs) were lost off
the end.  This one leaves out the least needed keys first (every key stays in
the help and the command palette) and re-fits when the width changes.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

PALETTE_ROOM = 14  # the command palette's key, docked on the right


def key_width(key: FooterKey) -> int:
    return len(key.key_display) + len(key.description) + 3  # padding around key and description


class Footer(TextualFooter):
    """Textual's Footer without its leak: it binds each key's `compact` to its own with a watcher
    that outlives the key, so every recompose (each screen switch) kept the old keys, never freed
    (~0.35 MB an opening of the help: 69 -> 111 MB in 120 openings under Pilot; now 68 -> 75 MB,
    flat after the first 80)."""

    def compose(self):
        for entries in getattr(self, "__watchers", {}).values():
            entries[:] = [(node, callback) for node, callback in entries if node is self or node.is_attached]
        yield from super().compose()


class EssentialFooter(Footer):
    def __init__(self, keep: tuple[str, ...], **kwargs) -> None:
        """`keep`: actions, most needed first; a footer too narrow drops keys from the end of it."""
        super().__init__(**kwargs)
        self.keep = keep
        self._width = 0

    def compose(self):
        items = list(super().compose())
        keys = [item for item in items if isinstance(item, FooterKey) and not item.has_class("-command-palette")]
        room = self.app.size.width - PALETTE_ROOM
        rank = {action: i for i, action in enumerate(self.keep)}
        by_need = sorted(keys, key=lambda k: rank.get(k.action, len(rank)))
        while by_need and sum(map(key_width, by_need)) > room:
            by_need.pop()
        shown = set(map(id, by_need))
        yield from (item for item in items if not isinstance(item, FooterKey) or item.has_class("-command-palette") or id(item) in shown)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            self.refresh(recompose=True)
