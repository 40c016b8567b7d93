"""AgentTracker on hand-made event sequences: the combiner, its hold, and each signal."""

from cockpit.agents.profiles import get_profile
from cockpit.detect import AgentTracker

T0 = 1_000.0


def sim_tracker(**kw) -> AgentTracker:
    return AgentTracker(get_profile("sim"), started_at=T0, **kw)


def claude_screen(body: list[str], footer: str, height: int = 24) -> list[str]:
    """A Claude Code screen of a pane `height` rows tall (the top scrolls away when it is full)."""
    rule = "─" * 60
    rows = [" ▐▛███▜▌   Claude Code v2.1.197", "", *body, "", rule, "❯ ", rule, f"  {footer}"]
    return rows[-height:] + [""] * (height - len(rows))


def test_a_new_agent_is_starting_then_working():
    tr = sim_tracker()
    assert tr.verdict(T0 + 1).state == "starting"
    tr.output(T0 + 2, "✻ sim agent · scenario work\r\n● Read(src/app.py)\r\n")
    assert tr.verdict(T0 + 2.5).state == "starting"  # not held for a second yet
    v = tr.verdict(T0 + 3.1)
    assert v.state == "working" and v.since == T0 + 2


def test_a_question_is_shown_within_a_second_and_a_flash_is_not():
    tr = sim_tracker()
    tr.output(T0 + 1, "● Working on it\r\n")
    tr.screen(T0 + 1, ["● Working on it", "⠿ working… 1s"])
    assert tr.verdict(T0 + 2.5).state == "working"
    tr.output(T0 + 3, "\r\x1b[KOverwrite? [y/n] ")
    tr.screen(T0 + 3, ["● Working on it", "Overwrite? [y/n] "])
    tr.output(T0 + 3.2, "\r\x1b[K⠿ working… 3s")
    tr.screen(T0 + 3.2, ["● Working on it", "⠿ working… 3s"])  # a redraw that looked like a prompt for a moment
    assert tr.verdict(T0 + 4).state == "working"
    tr.output(T0 + 5, "\r\x1b[KApply these changes? [y/n] ")
    tr.screen(T0 + 5.1, ["● Working on it", "Apply these changes? [y/n] "])
    v = tr.verdict(T0 + 5.6)
    assert v.state == "needs_input" and "Apply these changes?" in v.detail and v.since == T0 + 5  # drawn by the output at 5


def test_a_screen_read_long_after_it_was_drawn_shows_its_state_at_once():
    """A one-shot reading (cockpit status) captures the screen after everything else."""
    tr = sim_tracker()
    tr.output(T0 + 1, "● Done.\r\n\r\nsim> ")
    tr.pane(T0 + 60, present=True)
    tr.screen(T0 + 60, ["● Done.", "", "sim> "])
    assert tr.verdict(T0 + 60).state == "idle"


def test_exit_and_lost_are_shown_at_once():
    tr = sim_tracker()
    tr.output(T0 + 1, "hello\r\n")
    tr.pane(T0 + 5, present=True, dead=True, exit_code=3)
    v = tr.verdict(T0 + 5)
    assert (v.state, v.exit_code, v.since) == ("exited", 3, T0 + 5)
    gone = sim_tracker()
    gone.pane(T0 + 2, present=False)
    assert gone.verdict(T0 + 2).state == "lost"
    by_event = sim_tracker()
    by_event.event(T0 + 4, "exit", {"code": 0})
    assert by_event.verdict(T0 + 4).exit_code == 0


def test_silence_without_cpu_or_files_is_a_stall_with_an_alert():
    tr = sim_tracker(stall_after=60)
    tr.output(T0 + 1, "● Thinking about the best approach…\r\n")
    assert tr.verdict(T0 + 60).state == "working"
    v = tr.verdict(T0 + 62)
    assert v.state == "stalled" and v.since == T0 + 61
    assert [a.kind for a in v.alerts] == ["stalled"] and v.alerts[0].since == T0 + 1


def test_a_busy_process_tree_or_file_changes_are_not_a_stall():
    tr = sim_tracker(stall_after=30)
    tr.output(T0 + 1, "     Compiling shop v0.1.0\r\n")
    for i in range(0, 120, 5):
        tr.cpu(T0 + 2 + i, 0.9 * i)  # ~90 % of a core, no output
    v = tr.verdict(T0 + 120)
    assert v.state == "working" and "cpu" in v.detail
    files = sim_tracker(stall_after=30)
    files.output(T0 + 1, "writing\r\n")
    files.activity(T0 + 25, "files")
    assert files.verdict(T0 + 50).state == "working"
    assert files.verdict(T0 + 56).state == "stalled"


def test_a_spinner_alone_is_not_progress():
    """A full-screen agent redrawing only its spinner and elapsed counter, with a trickle of CPU, stalls."""
    tr = AgentTracker(get_profile("claude"), stall_after=30, started_at=T0)
    frames = "·✢✳✶✻✽"
    tr.cpu(T0, 0.0)
    for i in range(0, 80):
        t = T0 + 1 + i
        tr.output(t, f"\x1b[5A\r\x1b[J{frames[i % 6]} Pondering… ({i}s)\r\n")
        tr.screen(t, claude_screen(["● Let me look at the search module.", "", f"{frames[i % 6]} Pondering… ({i}s · ↑ 40 tokens)"], "esc to interrupt"))
        tr.cpu(t, 0.01 * i)  # 1 % of a core
    v = tr.verdict(T0 + 80)
    assert v.state == "stalled"


def test_an_agent_at_its_prompt_is_idle_and_never_stalls():
    tr = sim_tracker(stall_after=30)
    tr.output(T0 + 1, "● Done.\r\n\r\nsim> ")
    tr.screen(T0 + 1, ["● Done.", "", "sim> "])
    assert tr.verdict(T0 + 2.1).state == "idle"
    assert tr.verdict(T0 + 3600).state == "idle"


def test_repeated_actions_are_looping_with_snippets_and_count():
    tr = sim_tracker()
    t = T0
    for i in range(4):
        t += 3
        tr.output(t, f"● Bash(npm test)\r\n  ⎿  Error: Cannot find module './db' (pid {900 + i}, {i * 37}ms)\r\n")
    v = tr.verdict(t + 1.5)
    assert v.state == "looping"
    (alert,) = v.alerts
    assert alert.kind == "looping" and alert.count >= 3
    assert alert.snippets[0] == "● Bash(npm test)" and "Cannot find module" in alert.snippets[1]
    assert "repeated" in v.detail


def test_a_loop_that_ends_at_the_prompt_is_idle():
    tr = sim_tracker()
    t = T0
    for _ in range(4):
        t += 3
        tr.output(t, "● Bash(npm test)\r\n  ⎿  Error: Cannot find module './db'\r\n")
    tr.output(t + 1, "sim> ")
    tr.screen(t + 1, ["● Bash(npm test)", "  ⎿  Error: Cannot find module './db'", "sim> "])
    assert tr.verdict(t + 3).state == "idle"


def test_a_chanted_sentence_streamed_without_newlines_is_looping():
    tr = AgentTracker(get_profile("aider"), started_at=T0)
    sentence = "I will now fix the failing test in the parser module. "
    for i in range(30):
        tr.output(T0 + 1 + i * 0.4, sentence[: len(sentence) // 2])
        tr.output(T0 + 1.2 + i * 0.4, sentence[len(sentence) // 2 :])
    v = tr.verdict(T0 + 14)
    assert v.state == "looping" and v.alerts[0].snippets == ("I will now fix the failing test in the parser module.",)


def test_hook_events_drive_needs_input_working_and_idle():
    tr = AgentTracker(get_profile("custom"), started_at=T0)
    tr.output(T0 + 1, "my-agent: tidying the docs\r\n")
    tr.event(T0 + 2, "hook", {"signal": "tool", "tool": "Bash", "input": {"command": "rm -rf docs/old"}})
    tr.event(T0 + 2.1, "hook", {"signal": "needs_input", "message": "Claude needs your permission to use Bash"})
    v = tr.verdict(T0 + 3)
    assert v.state == "needs_input" and "permission to use Bash" in v.detail
    tr.event(T0 + 20, "hook", {"signal": "tool", "tool": "Write", "input": {"file_path": "docs/index.md"}})
    assert tr.verdict(T0 + 21.5).state == "working"
    tr.event(T0 + 22, "hook", {"signal": "idle"})
    assert tr.verdict(T0 + 23.5).state == "idle"


def test_a_newer_busy_screen_overrules_a_stale_idle_hook():
    tr = AgentTracker(get_profile("claude"), started_at=T0)
    tr.screen(T0 + 1, claude_screen(["● Done."], "? for shortcuts"))
    tr.event(T0 + 1, "hook", {"signal": "idle"})
    assert tr.verdict(T0 + 3).state == "idle"
    tr.screen(T0 + 10, claude_screen(["● Done.", "❯ next task", "", "· Baking… (1s)"], "esc to interrupt"))
    assert tr.verdict(T0 + 11.5).state == "working"


def test_identical_tool_calls_from_hooks_are_looping():
    tr = AgentTracker(get_profile("claude"), started_at=T0)
    tr.screen(T0 + 1, claude_screen(["· Baking… (1s)"], "esc to interrupt"))
    for i in range(3):
        tr.event(T0 + 5 + 10 * i, "hook", {"signal": "tool", "tool": "Bash", "input": {"command": "npm test"}})
    v = tr.verdict(T0 + 27)
    assert v.state == "looping" and v.alerts[0].snippets == ('Bash({"command": "npm test"})',)


def test_a_restart_forgets_the_old_run():
    tr = sim_tracker()
    tr.output(T0 + 1, "x\r\n")
    tr.pane(T0 + 2, present=True, dead=True, exit_code=1)
    tr.event(T0 + 10, "start")
    assert tr.verdict(T0 + 10.5).state == "starting"


def test_full_screen_agents_loop_on_settled_screen_rows():
    """Two greps alternating inside a redrawn Claude Code screen, with spinner noise in between."""
    tr = AgentTracker(get_profile("claude"), started_at=T0)
    transcript: list[str] = []
    t = T0
    for i in range(8):
        call = 'Search(pattern: "def connect")' if i % 2 == 0 else 'Search(pattern: "connect\\(")'
        for frame in range(6):
            t += 0.5
            tr.output(t, "\x1b[6A\r\x1b[J")
            tr.screen(t, claude_screen(transcript[-12:] + [f"✶ Pondering… ({frame}s · ↑ {i * 50 + frame} tokens)"], "esc to interrupt"), width=100)
        transcript += [f"● {call}", "  ⎿  Found 0 files", ""]
    v = tr.verdict(t + 1.5)
    assert v.state == "looping"
    assert v.alerts[0].snippets[:2] == ('● Search(pattern: "def connect")', "⎿ Found 0 files")


def test_redraws_after_a_resize_are_not_repetition():
    """Full-screen agents clear and reprint their transcript when the pane is resized; three resizes are not a loop."""
    tr = AgentTracker(get_profile("claude"), started_at=T0)
    body = ["● Bash(npm test)", "  ⎿  Error: Cannot find module './db'", "", "● I'll look at the module paths."]
    t = T0
    for width in (100, 90, 100, 90):
        t += 2
        tr.output(t, "\x1b[2J\x1b[H")
        tr.screen(t, [""] * 24, width=width)  # cleared
        for _ in range(3):
            t += 0.5
            tr.screen(t, claude_screen(body, "? for shortcuts"), width=width)
        t += 2
        tr.screen(t, claude_screen(body, "? for shortcuts"), width=width)
    assert tr.loop(t) is None
    assert tr.verdict(t + 2).state == "idle"


def test_a_screen_read_long_after_the_output_is_not_fresh_progress():
    """A one-shot reader (cockpit status) captures the screen now; it was drawn at the last output."""
    from cockpit.agents.profiles import get_profile
    from cockpit.detect import AgentTracker

    tracker = AgentTracker(get_profile("sim"), stall_after=10, started_at=0)
    tracker.output(1.0, "● Thinking about the best approach…\r\n")
    tracker.screen(30.0, ["● Thinking about the best approach…"], width=80)
    verdict = tracker.verdict(30.0)
    assert verdict.state == "stalled"
    assert verdict.alerts[0].since == 1.0
