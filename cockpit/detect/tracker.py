"""AgentTracker: one agent's state, combined from every signal cockpit has.

Inputs (all timestamped by the caller, in time order):
- `output(t, data)`: raw output as recorded (ANSI included).  Timing, and for
  line-printing agents the lines that settle.
- `screen(t, lines, title, width)`: the visible screen, read when the output
  changed.  Screen rules, progress, and for full-screen agents (which redraw in
  place) the rows that settle.
- `event(t, kind, payload)`: `start`, `exit` {code}, `hook` {signal: tool |
  turn | needs_input | idle, tool, input, message}, `cpu` {seconds}, `files`.
  Lines of an agent's `.events.jsonl` can be passed straight in.
- `activity(t, kind)`: `files` changed in the worktree, or `cpu` was used.
- `cpu(t, seconds)`: cumulative CPU seconds of the pane's process tree.
- `pane(t, present, dead, exit_code)`: what tmux says about the pane.

`verdict(now)` combines them, strongest first: exited/lost (shown at once),
needs_input, looping, idle, stalled, starting, working; a new state is shown
once it has held ~1 s (see hold.py).  Every decision keeps its reason (why.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from cockpit.agents.profiles import Profile, generic_rules
from cockpit.detect import why
from cockpit.detect.hold import Hold
from cockpit.detect.lines import LineStream, ScreenSettler, Sentences
from cockpit.detect.loops import CHANT_RULES, OUTPUT_RULES, TOOL_RULES, Loop, LoopDetector
from cockpit.detect.normalize import has_letters, letters, loop_key, progress_key, strip_ansi, tool_key
from cockpit.detect.screen import UNKNOWN, ScreenClass, ScreenClassifier
from cockpit.detect.stall import StallClock
from cockpit.detect.title import Titles
from cockpit.detect.why import PROGRESS_SOURCE, Reason, Source, Why, loop_message, shorten, stall_message, working_detail

STATES = ("starting", "working", "needs_input", "idle", "stalled", "looping", "exited", "lost")
FULLSCREEN_FOR = 30.0  # seconds a cursor-addressing burst keeps an agent in full-screen mode
LOOP_FRESH = 60.0  # a loop not extended for this long (or 3 cycles) is over
SCREEN_LAG = 1.5  # a screen this much newer than a hook event may overrule it
REDRAW_AFTER_RESIZE = 1.0  # seconds after a size change during which screens are redraws, not news
PARTIAL_KEY = 256  # the end of an unfinished line is enough to see it change
LONG_PARTIAL = 80  # an unfinished line this long is streaming prose: read its sentences as they come
CHANT_BREAK = "\x00"  # a paragraph ended: chants do not run across paragraphs


@dataclass(frozen=True)
class Alert:
    kind: str  # "stalled" or "looping"
    message: str
    since: float  # stalled: last progress; looping: when the loop was flagged
    snippets: tuple[str, ...] = ()  # looping: one cycle of what repeats
    count: int = 0  # looping: how many times it repeated


@dataclass(frozen=True)
class Verdict:
    state: str
    detail: str
    since: float
    why: Why  # the evidence that decided it
    exit_code: int | None = None
    alerts: list[Alert] = field(default_factory=list)


class AgentTracker:
    """Feed it what happened to one agent; ask `verdict(now)`."""

    def __init__(self, profile: Profile, stall_after: float = 120.0, started_at: float = 0.0, cpu_busy: float | None = None) -> None:
        """`cpu_busy` (share of a core that counts as work) defaults to the profile's."""
        self.profile = profile
        self.stall_after = stall_after
        self.cpu_busy = profile.cpu_busy if cpu_busy is None else cpu_busy
        self._classifier = ScreenClassifier(profile.screen, generic_rules(), profile.name)
        self._reset(started_at)

    def _reset(self, t: float) -> None:
        self.started_at = t
        self.last_output_at: float | None = None
        self._stall = StallClock(self.stall_after, t, self.cpu_busy)
        self._stream = LineStream()
        self._titles = Titles()
        self._untitled: ScreenClass | None = None  # the screen's class by its rows, when a busy title decided it
        self._settler = ScreenSettler()
        self._sentences = Sentences()
        self._partial_fed = ""  # how much of the unfinished line the sentence reader has seen
        self._partial_broken = False  # the unfinished line was rewritten after being read
        self._partial_key = ""
        self._row_wraps = False
        self._geometry: tuple[int | None, int] | None = None
        self._resized_at: float | None = None
        self._line_loops = LoopDetector(OUTPUT_RULES)
        self._chant_loops = LoopDetector(CHANT_RULES)
        self._tool_loops = LoopDetector(TOOL_RULES)
        self._chant: Loop | None = None
        self._lines_from: Source = "output"  # settled lines (loop units) come from output, or screens when full-screen
        self._last_loop: Loop | None = None
        self._fullscreen_at: float | None = None
        self._screen: tuple[ScreenClass, float] = (UNKNOWN, t)
        self._screen_at: float | None = None
        self._screen_key: int | None = None
        self._busy_at: float | None = None  # when the last screen with a busy marker was drawn
        self._content_at: float | None = None  # when the last line of content (not chrome) settled
        self._seen_content = False
        self._began = False  # shown a state other than starting since the start
        self._hook: tuple[str, float, str, str] | None = None  # (signal, time, message, which hook)
        self._hook_progress = ""  # the last tool call or turn a hook reported, in words
        self._exit_code: int | None = None
        self._exit_signal: int | None = None
        self._exit_by = ""  # what told the exit: tmux's pane, or the pane-died hook's exit event
        self._exited_at: float | None = None
        self._lost_at: float | None = None
        self._hold = Hold("starting", "no output yet", t, Reason("none", t, why.text, ("no output yet",)))

    # --- inputs -----------------------------------------------------------
    def output(self, t: float, data: str) -> None:
        """Raw output (ANSI included) as recorded."""
        self.last_output_at = t
        self._titles.feed(t, data)
        lines, redraw = self._stream.feed(data)
        if redraw:
            self._fullscreen_at = t
        if self.fullscreen(t):
            self._partial_fed, self._partial_broken = "", False
        else:
            self._take_lines(t, lines)
        self._update(t)

    def _take_lines(self, t: float, lines: list[str]) -> None:
        """Lines of a line-printing agent: loop units, sentences, progress."""
        progressed = False
        self._lines_from = "output"
        for line in lines:
            fed = self._partial_fed
            if fed and not self._partial_broken and line.startswith(fed):
                self._prose(t, line[len(fed) :], "")
            elif not fed and line.strip():
                self._prose(t, line, " ")
            self._partial_fed, self._partial_broken = "", False
            self._line(t, line)
            progressed = progressed or has_letters(line)
        partial = self._stream.partial
        if len(partial) >= LONG_PARTIAL and not self._partial_broken:
            fed = self._partial_fed
            if not fed:
                self._prose(t, partial, " ")
                self._partial_fed = partial
            elif partial.startswith(fed):
                if len(partial) > len(fed):
                    self._prose(t, partial[len(fed) :], "")
                    self._partial_fed = partial
            else:
                self._partial_broken = True
                self._sentences.discard()
        key = progress_key(partial[-PARTIAL_KEY:])
        if key != self._partial_key:
            self._partial_key = key
            progressed = progressed or has_letters(key)
        if progressed:
            self._seen_content = True
            self._stall.progress(t, "output")

    def _line(self, t: float, text: str) -> None:
        """One settled line (or screen row): a unit for the line-loop detector, or a paragraph break."""
        if not text.strip() or self._classifier.is_chrome(text):
            self._paragraph_end(t)
            return
        key = loop_key(text)
        if letters(key) >= 2:
            self._content_at = t
            self._line_loops.add(t, key, shorten(text))

    def _prose(self, t: float, text: str, joined: str) -> None:
        for sentence in self._sentences.add(text, joined):
            self._sentence(t, sentence)

    def _paragraph_end(self, t: float) -> None:
        for sentence in self._sentences.end():
            self._sentence(t, sentence)
        self._chant_loops.add(t, CHANT_BREAK, "")

    def _sentence(self, t: float, sentence: str) -> None:
        key = loop_key(sentence)
        if letters(key) >= 2:
            found = self._chant_loops.add(t, key, shorten(sentence))
            if found is not None:
                self._chant = found

    def screen(self, t: float, lines: list[str], title: str = "", width: int | None = None) -> None:
        """The visible screen (plain text; ANSI is stripped), read when the output changed.

        `width` is the pane width: rows that fill it wrap into the next row.  A
        change of width or height is a resize: what the agent redraws in the
        next second is not new output.  `title` (tmux's) counts until the output sets one (title.py).
        """
        rows = [strip_ansi(line).rstrip() for line in lines]
        found = self._classifier.classify(rows, self._titles.pick(title))
        self._untitled = self._classifier.classify(rows) if found.by_title and found.state == "working" else None
        found = self._titles.judged((found, t), self._untitled, t)[0]
        # the pane cannot change without output: what it shows has been there since the last output
        drawn = self.last_output_at if self.last_output_at is not None and self.last_output_at <= t else t
        if found.state == "working":
            self._busy_at = drawn
        if found.state != self._screen[0].state:
            self._screen = (found, max(drawn, self._screen_at or drawn))
        else:
            self._screen = (found, self._screen[1])
        self._screen_at = t
        # chrome (a spinner line whose verb rotates, a footer) changing on its own is no progress
        key = hash(tuple(progress_key(row) for row in rows if not self._classifier.is_chrome(row)))
        if key != self._screen_key:
            if self._screen_key is not None or any(rows):
                self._stall.progress(drawn, "output")
            self._screen_key = key
        if not self._seen_content and any(has_letters(row) for row in rows):
            self._seen_content = True
        geometry = (width, len(rows))
        if self._geometry is not None and geometry != self._geometry:
            self._resized_at = t
        self._geometry = geometry
        if self._resized_at is not None and t - self._resized_at <= REDRAW_AFTER_RESIZE:
            self._settler.adopt(rows)
            settled = []
        else:
            settled = self._settler.feed(rows, width)
        if self.fullscreen(t):
            self._lines_from = "screen"
            for text, wraps in settled:
                if text.strip() and not self._classifier.is_chrome(text):
                    self._prose(t, text, "" if self._row_wraps else " ")
                self._line(t, text)
                self._row_wraps = wraps and bool(text.strip())
        self._update(t)

    def event(self, t: float, kind: str, payload: dict | None = None) -> None:
        """A structured event (an `.events.jsonl` line): start (a new run: everything
        before it is forgotten), exit, hook, cpu, files; other kinds are ignored."""
        payload = payload or {}
        if kind == "start":
            if t >= self.started_at:  # an older start belongs to an earlier run of this name
                self._reset(t)
        elif kind == "exit" and t >= self.started_at:
            self._exit_code, self._exit_signal = payload.get("code"), payload.get("signal")
            self._exited_at, self._exit_by = t, "exit event"
        elif kind == "hook":
            self._hook_event(t, payload)
        elif kind == "cpu" and isinstance(payload.get("seconds"), (int, float)):
            self._stall.cpu(t, float(payload["seconds"]))
        elif kind == "files":
            self._stall.progress(t, "files")
        self._update(t)

    def _hook_event(self, t: float, payload: dict) -> None:
        signal = payload.get("signal")
        label = " ".join(str(payload[k]) for k in ("source", "event") if payload.get(k)) or "hook"
        if signal == "tool":
            tool = str(payload.get("tool") or "tool")
            tool_input = payload.get("input")
            self._hook = None
            self._stall.progress(t, "tool call")
            self._seen_content = True
            arg = json.dumps(tool_input, ensure_ascii=False) if isinstance(tool_input, (dict, list)) else str(tool_input or "")
            shown = f"{tool}({shorten(arg, 80)})"
            self._hook_progress = f"{label}: tool call {shown}"
            self._tool_loops.add(t, tool_key(tool, tool_input), shown)
        elif signal == "turn":
            self._hook = None
            self._hook_progress = f"{label}: new turn"
            self._stall.progress(t, "new turn")
        elif signal in ("needs_input", "idle"):
            self._hook = (signal, t, str(payload.get("message") or ""), label)

    def activity(self, t: float, kind: str) -> None:
        """Progress that is not output: `files` changed in the worktree, `cpu` used by its processes."""
        self._stall.progress(t, kind)
        self._update(t)

    def cpu(self, t: float, seconds: float) -> None:
        """Cumulative CPU seconds of the agent's process tree (see cockpit.recording.activity)."""
        self._stall.cpu(t, seconds)
        self._update(t)

    def pane(self, t: float, present: bool, dead: bool = False, exit_code: int | None = None) -> None:
        """What tmux says about the agent's pane right now."""
        if present and dead:
            if self._exited_at is None or exit_code is not None:
                self._exit_by = "tmux pane"
            if self._exited_at is None:
                self._exited_at = t
            if exit_code is not None:
                self._exit_code = exit_code
            self._lost_at = None
        elif present:
            self._lost_at = None
        elif self._exited_at is None and self._lost_at is None:
            self._lost_at = t
        self._update(t)

    # --- state ------------------------------------------------------------
    def fullscreen(self, t: float) -> bool:
        """Whether the agent redraws its screen in place (its settled lines come from screens)."""
        return self._fullscreen_at is not None and t - self._fullscreen_at <= FULLSCREEN_FOR

    def loop(self, now: float) -> Loop | None:
        """The loop the agent is in at `now`, if any (tool calls first: the stronger signal)."""
        for loop in (self._tool_loops.current, self._line_loops.current, self._chant):
            if loop is not None and now - loop.last <= max(LOOP_FRESH, 3 * loop.cycle_seconds):
                return loop
        return None

    def _live_hook(self, now: float) -> tuple[str, float, str, str] | None:
        """The last hook signal, unless newer evidence outweighs it.

        A hook is one timestamped piece of evidence, not a state that holds
        until the next hook (Codex reports a side request's end as a finished
        turn, and has no busy hook).  A busy marker drawn after an idle hook,
        new content, or a contradicting screen drawn well after it win.
        """
        if self._hook is None:
            return None
        signal, t = self._hook[:2]
        if signal == "idle" and self._busy_at is not None and self._busy_at > t:
            return None
        if self._content_at is not None and self._content_at > t + SCREEN_LAG:
            return None
        cls, _since = self._titles.judged(self._screen, self._untitled, now)
        if self._screen_at is not None and self._screen_at > t + SCREEN_LAG:
            if signal == "needs_input" and cls.state in ("working", "idle"):
                return None
            if signal == "idle" and cls.state in ("working", "needs_input"):
                return None
        return self._hook

    def _candidate(self, now: float) -> tuple[str, str, float, Reason]:
        """The state the evidence points to, its detail, since when, and why (rendered only if asked)."""
        if self._exited_at is not None:
            code = self._exit_code
            reason = Reason("pane", self._exited_at, why.exit_status, (self._exit_by, code, self._exit_signal))
            return "exited", "exited" if code is None else f"exit code {code}", self._exited_at, reason
        if self._lost_at is not None:
            reason = Reason("pane", self._lost_at, why.text, ("tmux lists no pane for it and no exit status was written",))
            return "lost", "window gone without an exit status", self._lost_at, reason
        cls, cls_since = self._titles.judged(self._screen, self._untitled, now)
        hook = self._live_hook(now)
        if cls.state == "needs_input":
            return "needs_input", f"asks: {shorten(cls.line, 80)}", cls_since, Reason("screen", cls_since, why.screen_rule, (cls.rule, cls.line))
        if hook is not None and hook[0] == "needs_input":
            reason = Reason("hook", hook[1], why.hook, (hook[3], hook[2]))
            return "needs_input", f"asks: {shorten(hook[2], 80) or 'permission'}", hook[1], reason
        prompt: tuple[str, float, Reason] | None = None
        if cls.state == "idle":
            prompt = ("at its prompt", cls_since, Reason("screen", cls_since, why.screen_rule, (cls.rule, cls.line)))
        elif hook is not None and hook[0] == "idle":
            prompt = ("finished its turn", hook[1], Reason("hook", hook[1], why.hook, (hook[3], hook[2])))
        loop = self.loop(now)
        if loop is not None and (prompt is None or prompt[1] <= loop.last):
            self._last_loop = loop
            if loop is self._tool_loops.current:
                reason = Reason("hook", loop.since, why.loop, (loop, "tool call"))
            else:
                reason = Reason(self._lines_from, loop.since, why.loop, (loop, "sentence" if loop is self._chant else "line"))
            return "looping", loop_message(loop), loop.since, reason
        if prompt is not None:
            return "idle", *prompt
        stall = self._stall
        stalled = stall.stalled_since(now)
        if stalled is not None:
            reason = Reason(PROGRESS_SOURCE.get(stall.last_kind, "none"), stall.last, why.stalled, (stall.last, stall.last_kind))
            return "stalled", stall_message(now, stall.last), stalled, reason
        if cls.state == "starting" and not self._began:
            return "starting", "starting up", self.started_at, Reason("screen", cls_since, why.screen_rule, (cls.rule, cls.line))
        if cls.state is None and not self._seen_content:
            if self.last_output_at is None:
                return "starting", "no output yet", self.started_at, Reason("none", self.started_at, why.text, ("no output yet",))
            reason = Reason("output", self.started_at, why.text, ("no words on screen or in the output yet",))
            return "starting", "starting up", self.started_at, reason
        args = (stall.last, stall.last_kind, self._hook_progress, stall.share, self.cpu_busy)
        reason = Reason(PROGRESS_SOURCE.get(stall.last_kind, "none"), stall.kind_since, why.working, args)
        return "working", working_detail(now, stall.last, stall.last_kind), stall.last, reason

    def _update(self, t: float) -> None:
        self._hold.update(t, *self._candidate(t))
        # a start-up screen after a dialog or a turn (Codex redraws its banner) is work, not a new start
        self._began = self._began or self._hold.state != "starting"

    def verdict(self, now: float) -> Verdict:
        self._update(now)
        hold = self._hold
        alerts: list[Alert] = []
        if hold.state == "stalled":
            alerts.append(Alert("stalled", stall_message(now, self._stall.last), self._stall.last))
        elif hold.state == "looping" and self._last_loop is not None:
            loop = self._last_loop
            alerts.append(Alert("looping", loop_message(loop), loop.since, loop.snippets, loop.count))
        exit_code = self._exit_code if hold.state == "exited" else None
        reason = hold.reason
        if hold.state == "working" and reason.since < hold.since:  # output before and after a question: two stretches of work
            reason = reason._replace(since=hold.since)
        return Verdict(hold.state, hold.detail, hold.since, reason.why(now), exit_code, alerts)
