"""Every verdict says why: which evidence decided it, in words, and since when."""

from cockpit.agents.profiles import get_profile
from cockpit.detect import AgentTracker, Why

T0 = 1_000.0


def tracker(profile: str = "sim", **kw) -> AgentTracker:
    return AgentTracker(get_profile(profile), started_at=T0, **kw)


def test_nothing_yet_is_source_none():
    assert tracker().verdict(T0 + 1).why == Why("none", "no output yet", T0)


def test_a_question_on_screen_names_the_rule_and_the_line():
    tr = tracker()
    tr.output(T0 + 5, "Apply these changes? [y/n] ")
    tr.screen(T0 + 5.1, ["● Working on it", "Apply these changes? [y/n] "])
    assert tr.verdict(T0 + 5.6).why == Why("screen", 'sim.screen.question[0] matched "Apply these changes? [y/n]"', T0 + 5)
    generic = tracker("custom")  # a command agent's rules are the generic ones, and say so
    generic.output(T0 + 1, "Overwrite config? [y/N] ")
    generic.screen(T0 + 1, ["Overwrite config? [y/N] "])
    assert generic.verdict(T0 + 2).why.detail == 'generic.screen.question[0] matched "Overwrite config? [y/N]"'
    dialog = tracker("custom")
    dialog.output(T0 + 1, "x")
    dialog.screen(T0 + 1, ["Pick a plan:", "❯ 1. Apply", "  2. Skip"])
    assert dialog.verdict(T0 + 2).why.detail == 'generic dialog matched "❯ 1. Apply"'


def test_an_idle_prompt_names_its_rule():
    tr = tracker()
    tr.output(T0 + 1, "● Done.\r\n\r\nsim> ")
    tr.screen(T0 + 1, ["● Done.", "", "sim> "])
    assert tr.verdict(T0 + 2.1).why == Why("screen", 'sim.screen.idle[0] matched "sim>"', T0 + 1)


def test_hook_events_name_the_hook_and_its_message():
    tr = tracker("custom")
    tr.output(T0 + 1, "my-agent: tidying the docs\r\n")
    tr.event(T0 + 2, "hook", {"signal": "tool", "tool": "Bash", "input": {"command": "rm -rf docs/old"}, "source": "claude", "event": "PreToolUse"})
    v = tr.verdict(T0 + 3.5)
    assert v.state == "working" and v.why.source == "hook"
    assert v.why.detail == 'claude PreToolUse: tool call Bash({"command": "rm -rf docs/old"})'
    message = "Claude needs your permission to use Bash"
    tr.event(T0 + 4, "hook", {"signal": "needs_input", "message": message, "source": "claude", "event": "Notification"})
    assert tr.verdict(T0 + 5).why == Why("hook", f"claude Notification: {message}", T0 + 4)
    tr.event(T0 + 20, "hook", {"signal": "idle", "source": "claude", "event": "Stop"})
    assert tr.verdict(T0 + 22).why == Why("hook", "claude Stop", T0 + 20)


def test_a_tool_call_loop_is_the_hooks_with_the_call_and_its_count():
    tr = tracker("claude")
    for i in range(4):
        tr.event(T0 + 5 + 10 * i, "hook", {"signal": "tool", "tool": "Bash", "input": {"command": "npm test"}})
    v = tr.verdict(T0 + 37)
    assert v.state == "looping"
    assert v.why == Why("hook", 'same tool call 4× in a row: Bash({"command": "npm test"})', T0 + 25)


def test_a_loop_in_the_output_names_its_cycle():
    tr = tracker()
    t = T0
    for _ in range(4):
        t += 3
        tr.output(t, "● Bash(npm test)\r\n  ⎿  Error: Cannot find module './db'\r\n")
    v = tr.verdict(t + 1.5)
    assert v.state == "looping" and v.why.source == "output" and v.why.since == v.since
    assert v.why.detail == "cycle of 2 lines 4× in a row: ● Bash(npm test) / ⎿ Error: Cannot find module './db'"


def test_output_files_and_cpu_each_explain_work():
    tr = tracker(stall_after=60)
    tr.output(T0 + 1, "     Compiling shop v0.1.0\r\n")
    tr.output(T0 + 2, "     Compiling serde v1.0\r\n")
    assert tr.verdict(T0 + 3).why == Why("output", "new output", T0 + 1)  # since the run of output began
    tr.event(T0 + 10, "files")
    assert tr.verdict(T0 + 12).why == Why("files", "files changed in its worktree", T0 + 10)
    for i in range(5):  # silent, ~90 % of a core
        tr.event(T0 + 20 + 3 * i, "cpu", {"seconds": 2.7 * i})
    v = tr.verdict(T0 + 33)
    assert v.state == "working"
    assert v.why == Why("cpu", "process tree at 90% of a core in the last sample (work from 5%)", T0 + 20)
    v = tr.verdict(T0 + 40)
    assert v.why.detail.endswith("; quiet for 8s")  # rendered when asked: how long since the last busy sample


def test_a_stall_says_since_when_and_what_the_last_progress_was():
    tr = tracker(stall_after=60)
    tr.output(T0 + 1, "● Thinking about the best approach…\r\n")
    v = tr.verdict(T0 + 62)
    assert v.state == "stalled" and v.since == T0 + 61
    assert v.why == Why("output", "no output, file change or CPU for 1m01s; last progress: output", T0 + 1)


def test_an_exit_or_a_lost_window_is_the_pane():
    by_pane = tracker()
    by_pane.output(T0 + 1, "hello\r\n")
    by_pane.pane(T0 + 5, present=True, dead=True, exit_code=3)
    assert by_pane.verdict(T0 + 5).why == Why("pane", "tmux pane: exit code 3", T0 + 5)
    by_event = tracker()
    by_event.event(T0 + 4, "exit", {"code": 137, "signal": 9})
    assert by_event.verdict(T0 + 4).why == Why("pane", "exit event: exit code 137 (signal 9)", T0 + 4)
    gone = tracker()
    gone.pane(T0 + 2, present=False)
    assert gone.verdict(T0 + 2).why.source == "pane"


def test_the_why_belongs_to_the_state_shown_not_to_one_still_held_back():
    tr = tracker()
    tr.output(T0 + 1, "● Working on it\r\n")
    tr.screen(T0 + 1, ["● Working on it", "⠿ working… 1s"])
    tr.output(T0 + 3, "\r\x1b[KOverwrite? [y/n] ")
    tr.screen(T0 + 3, ["● Working on it", "Overwrite? [y/n] "])
    v = tr.verdict(T0 + 3.2)  # the question has not held for half a second yet
    assert v.state == "working" and v.why.source == "output"
    assert tr.verdict(T0 + 3.6).why.source == "screen"


def test_work_after_a_question_counts_from_the_answer():
    tr = tracker()
    tr.output(T0 + 1, "● Working on it\r\n")
    tr.screen(T0 + 1, ["● Working on it"])
    tr.output(T0 + 3, "Apply? [y/n] ")
    tr.screen(T0 + 3, ["● Working on it", "Apply? [y/n] "])
    assert tr.verdict(T0 + 4).state == "needs_input"
    tr.output(T0 + 10, "y\r\n● Applied\r\n")
    tr.screen(T0 + 10, ["● Working on it", "Apply? [y/n] y", "● Applied"])
    v = tr.verdict(T0 + 11.5)
    assert (v.state, v.since, v.why) == ("working", T0 + 10, Why("output", "new output", T0 + 10))
