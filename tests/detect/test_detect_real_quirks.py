"""What the real CLIs taught the tracker (see tests/data/realagents): hooks are evidence with a time."""

from cockpit.agents.profiles import get_profile
from cockpit.detect import AgentTracker
from cockpit.detect.normalize import loop_key, progress_key, strip_ansi

T0 = 1_000.0


def codex_screen(*body: str, working: str | None = "• Working (3s • esc to interrupt)") -> list[str]:
    return ["  >_ OpenAI Codex (v0.171.0)", "", "› Fix the build", "", *body, *([working] if working else []), "", "› Ask Codex to do anything"]


def show(tr: AgentTracker, t: float, rows: list[str]) -> None:
    tr.output(t, "\x1b[H")  # a redraw
    tr.screen(t, rows)


def test_codex_early_turn_complete_does_not_make_a_working_agent_idle():
    """Codex's notify reports the task-title side request's end as a finished turn."""
    tr = AgentTracker(get_profile("codex"), started_at=T0)
    show(tr, T0 + 1, codex_screen())
    tr.event(T0 + 1.5, "hook", {"signal": "idle", "message": '{"title": "Fix the build"}'})
    for i in range(2, 8):
        show(tr, T0 + i, codex_screen(working=f"◦ Working ({i}s • esc to interrupt)"))
        assert tr.verdict(T0 + i + 0.5).state == "working"
    show(tr, T0 + 9, codex_screen("• Fixed it.", "  Worked for 8s", working=None))
    tr.event(T0 + 9.1, "hook", {"signal": "idle", "message": "Fixed it."})
    assert tr.verdict(T0 + 10.5).state == "idle"


def test_an_idle_hook_before_the_final_redraw_still_counts():
    """Claude Code's Stop hook can come a moment before the screen loses its busy footer."""
    tr = AgentTracker(get_profile("custom"), started_at=T0)
    tr.output(T0 + 1, "building…\r\n")
    tr.event(T0 + 2, "hook", {"signal": "idle"})
    assert tr.verdict(T0 + 3.5).state == "idle"


def test_codex_banner_redrawn_after_the_trust_dialog_is_not_a_new_start():
    tr = AgentTracker(get_profile("codex"), started_at=T0)
    show(tr, T0 + 1, ["  Trust this folder?", "› 1. Trust and continue", "  2. Quit", "  enter continue · esc back"])
    assert tr.verdict(T0 + 2).state == "needs_input"
    show(tr, T0 + 5, ["  >_ OpenAI Codex (v0.171.0)", "⣀⣤⣤⣤⣀⣀⣀⣤⣤⣤⣀⣀", "› Ask Codex to do anything"])
    assert tr.verdict(T0 + 6.5).state == "working"


def test_a_blinking_tool_bullet_is_no_progress_and_no_new_line():
    assert progress_key("● Bash(make)") == progress_key("  Bash(make)") == progress_key("◦ Bash(make)")
    assert loop_key("• Ran make") == loop_key("  Ran make")


def test_terminal_queries_are_not_text():
    queries = "\x1bPtmux;\x1b\x1bP+q4d73\x1b\x1b\\\x1b\x1b[?1016$p\x1b\\\x1b_Gi=1,a=q;AAAA\x1b\\"
    assert strip_ansi(f"a{queries}b") == "ab"
