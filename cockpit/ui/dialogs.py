"""Modal dialogs: new agent, send text, a line of text, confirm, help."""

from __future__ import annotations

from rich.markdown import Markdown as RichMarkdown
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from cockpit.agents.layout import AgentSpec
from cockpit.agents.profiles import profile_names
from cockpit.commands import split_command
from cockpit.errors import CockpitError

CUSTOM = "__command__"


class NewAgentScreen(ModalScreen[AgentSpec | None]):
    """Name, profile (or a custom command) and task for a new agent."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def compose(self) -> ComposeResult:
        options = [(name, name) for name in profile_names()] + [("custom command…", CUSTOM)]
        with Vertical(id="dialog"):
            yield Label("New agent", classes="title")
            yield Input(placeholder="name (becomes branch cockpit/NAME)", id="name")
            yield Select(options, value=options[0][1], allow_blank=False, id="profile")
            yield Input(placeholder='command, e.g. python3 tools/agent.py "{task}"', id="command", disabled=True)
            yield Input(placeholder="task", id="task")
            yield Label("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Start", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    @on(Select.Changed, "#profile")
    def _profile_changed(self, event: Select.Changed) -> None:
        self.query_one("#command", Input).disabled = event.value != CUSTOM

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _submit(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        profile = self.query_one("#profile", Select).value
        task = self.query_one("#task", Input).value
        error = self.query_one("#error", Label)
        if not name:
            error.update("a name is needed")
            return
        try:
            if profile == CUSTOM:
                spec = AgentSpec(name=name, command=split_command(self.query_one("#command", Input).value), task=task)
            else:
                spec = AgentSpec(name=name, profile=str(profile), task=task)
        except CockpitError as exc:
            error.update(exc.message)
            return
        self.dismiss(spec)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class SendTextScreen(ModalScreen[str | None]):
    """Text to type into an agent (sent literally, then Enter)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, agent: str) -> None:
        super().__init__()
        self.agent = agent

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"Send to {self.agent}", classes="title")
            yield Input(placeholder="text (Enter sends it; Esc cancels)", id="text")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value if event.value else None)


class PromptScreen(ModalScreen[str | None]):
    """One line of text, possibly prefilled: Enter gives it (maybe ""), Esc gives None."""

    DEFAULT_CSS = """
    PromptScreen { align: center middle; }
    PromptScreen .note { color: $text-muted; margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, note: str = "", value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.note = note
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, classes="title")
            if self.note:
                yield Label(self.note, classes="note")
            yield Input(value=self.value, placeholder=self.placeholder, id="text")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [Binding("y", "dismiss(True)", "Yes"), Binding("n,escape", "dismiss(False)", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Grid(id="dialog", classes="confirm"):
            yield Label(self.question, id="question")
            yield Button("Yes (y)", variant="error", id="yes")
            yield Button("No (n)", variant="primary", id="no")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


HELP = """\
# cockpit

Each agent runs in its own **git worktree** (branch `cockpit/NAME`) and **tmux window**.
Output is recorded with timestamps; quitting the cockpit leaves every agent running.

| key | does |
|---|---|
| `↑`/`↓` | select an agent |
| `n` | new agent |
| `a` | attach to the agent's window (detach with the tmux prefix, then `d`) |
| `w` | watch the agent read-only |
| `s` | send text to the agent (typed literally, then Enter) |
| `v` | review the agent's changes: diff, comments, approval |
| `R` | restart an exited agent in its worktree, resuming its conversation where its CLI can |
| `x` | stop the agent (worktree and branch stay) |
| `d` | remove the agent: its work is archived under `refs/cockpit/archive/NAME/…` first |
| `/` | filter the agents by name, state or task (`Enter` keeps it, `esc` clears it) |
| `⇧↑`/`⇧↓`, `⇧PgUp`/`⇧PgDn` | scroll the agent's output; `⇧End` (or scrolling to the end) follows it again |
| `tab` | move between the table, the output (then `↑`/`↓`, `PgUp`/`PgDn`, `End`) and the filter |
| `o` | overlaps: shared files, predicted conflicts, line ranges |
| `m` | merge queue: order, rehearse and merge the finished branches |
| `ctrl+p` | command palette: every action, and attach / review / send / restart … by agent name |
| `?` | this help (scroll it with `↑`/`↓`, `PgUp`/`PgDn`) |
| `q` | quit (agents keep running) |

| column | shows |
|---|---|
| Task | what the agent was asked to do |
| Up | time since its current run started |
| Output | time since its last output |
| Files | files it changed (committed, uncommitted or untracked) |
| Review | ✓ approved at its current tip, ✗ changes requested, — not reviewed |
| Cost | what its CLI reports it spent (`·`: the CLI writes no usage) |
| Why / alerts | why it is in its state; what repeats; a looping agent's spend per minute |

A narrow terminal leaves out Branch, Profile and Task first, then Files, Up, Cost, Review;
State, Agent and Why stay. The header sums the tokens and cost the agents' CLIs report.

| state | meaning |
|---|---|
| ? needs input | the agent asks you something |
| ↻ looping | it repeats itself without progress |
| ◷ stalled | no output, no file change, no CPU for a while |
| ✖ lost | its window is gone without an exit status |
| ■ exited | its process ended (exit code shown) |
| ◌ starting | no output yet |
| ● working | making progress |
| ○ idle | waiting at its own prompt |

## Review (`v`)

The agent's changes against its base (committed, uncommitted and untracked), file by file.
An approval is for the branch's tip: it lapses when the branch moves.

| key | does |
|---|---|
| `↑`/`↓`, `PgUp`/`PgDn`, `Home`/`End` | move through the diff |
| `n`/`p` | next / previous hunk |
| `]`/`[` | next / previous file |
| `c` | comment on the line (or hunk) under the cursor; comments queue per agent |
| `s` | send every queued comment to the agent as one message, with `file:line` references |
| `a` | approve the branch at its current tip |
| `r` | request changes |
| `esc` | back to the agents |

## Overlaps (`o`)

Agents that change the same files (committed, uncommitted or untracked), and which of those files
a real merge would conflict on; kept current as files are saved. A notification says when a
conflict appears or goes away.

| Overlap column | meaning |
|---|---|
| ✖ n | would conflict with n other agents (or its base) if merged now |
| ⚠ n | changes files n other agents change too, but merges cleanly |

| key | does |
|---|---|
| `↑`/`↓` | select a pair: its shared files, which conflict, each side's line ranges |
| `esc` | back to the agents |

## Merge queue (`m`)

Every agent branch with commits the base lacks, in the order they would land. Each order
change is rehearsed at once (merge-tree on throwaway objects: nothing moves). The merge runs
in a separate integration worktree; the base only moves, by fast-forward, to tested steps.

| key | does |
|---|---|
| `↑`/`↓` | select a branch |
| `⇧↑`/`⇧↓` (or `K`/`J`) | move it up / down the order |
| `space` | put it in the order or leave it out (one still in its turn, or uncommitted, only when you say so) |
| `s` | back to the suggested order |
| `m` | merge the order (asks first; progress step by step, then a report) |
| `t` | the test command run after each step (from the layout's `merge_test`) |
| `a` | all-or-nothing: if any step fails, the base stays where it is |
| `c` | commit an agent's uncommitted work (asks for a message) |
| `b` | send it back: merge the base into its worktree, leave the conflict to its agent, tell it |
| `d` | after a merge: remove the merged agents (their work is archived first) |
| `p` | plan again (re-read every branch) |
| `esc` | back to the agents |
"""


class HelpScreen(ModalScreen[None]):
    """The keys, states and columns; scrolls (↑/↓, PgUp/PgDn, Home/End) where the screen is short.

    Rich's Markdown in a Static, installed once by the app (`push_screen("help")`): Textual's
    Markdown widget took ~600 ms to open on the loaded 2-core box, this ~250 ms the first time
    and nothing after."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss(None)", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog", classes="help"):
            yield Static(RichMarkdown(HELP), id="help-text")

    def on_screen_resume(self) -> None:
        dialog = self.query_one("#dialog", VerticalScroll)
        dialog.scroll_home(animate=False)
        dialog.focus()
