"""cockpit's own commands in the command palette (ctrl+p): every key's action, and per agent
"attach to NAME", "review NAME", "send to NAME", … — found by typing part of a name.

A command acts as its key would on the agent table (the agent is selected first), so
what the palette can do is exactly what the keys can.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

# (title, action, help): the app's actions that need no agent named
APP_COMMANDS = (
    ("New agent", "new_agent", "start an agent on a task (n)"),
    ("Filter agents", "filter", "narrow the table by name, state or task (/)"),
    ("Merge queue", "merge", "order, rehearse and merge the finished branches (m)"),
    ("Overlaps", "overlaps", "files agents share, predicted conflicts (o)"),
    ("Help", "help", "keys, states and columns (?)"),
    ("Quit", "quit", "leave the cockpit; agents keep running (q)"),
)
# (title with {name}, action, help): acting on one agent, as its key does on the selected row
AGENT_COMMANDS = (
    ("Attach to {name}", "attach(False)", "its tmux window (a); detach with the prefix, then d"),
    ("Watch {name}", "attach(True)", "its window, read-only (w)"),
    ("Review {name}", "review", "its diff against its base, comments, approval (v)"),
    ("Send to {name}", "send", "type text into it, then Enter (s)"),
    ("Restart {name}", "restart", "run an exited agent again, resuming its conversation where it can (R)"),
    ("Stop {name}", "stop", "end its program; worktree and branch stay (x)"),
    ("Remove {name}", "remove", "its window and worktree go; its work is archived first (d)"),
)


class CockpitCommands(Provider):
    def _commands(self) -> Iterator[tuple[str, object, str]]:
        app = self.app
        if len(app.screen_stack) > 2:  # the palette over another view: the table's keys are off there too
            return
        for title, action, help_text in APP_COMMANDS:
            yield title, partial(app.run_action, action), help_text
        for name in app.agent_names():
            for title, action, help_text in AGENT_COMMANDS:
                yield title.format(name=name), partial(app.act_on, name, action), help_text

    async def discover(self) -> Hits:
        for title, command, help_text in self._commands():
            yield DiscoveryHit(title, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, command, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, help=help_text)
