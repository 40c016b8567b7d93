"""Normalisation, line settling and sentence cutting: the text the detectors compare."""

from cockpit.detect.lines import LineStream, ScreenSettler, Sentences
from cockpit.detect.normalize import loop_key, progress_key, strip_ansi


def test_loop_key_masks_noise_that_changes_between_repetitions():
    a = "Error: Cannot find module './db' at 10:39:15.669 (pid 44085, req 0x892bbe) +12ms · 8,592 tokens"
    b = "Error: Cannot find module './db' at 11:02:01.004 (pid 1203, req 0x0a11ff) +907ms · 912 tokens"
    assert loop_key(a) == loop_key(b)
    assert loop_key("[master b3de065] Fix typo") == loop_key("[master e54474f] Fix typo")
    assert loop_key("⠋ Working (5s • esc to interrupt)") == loop_key("⠼ Working (1m 12s • esc to interrupt)")
    assert loop_key("Tokens: 2.5k sent, 18 received. Cost: $0.0065 message") == loop_key("Tokens: 3.1k sent, 4 received. Cost: $0.0101 message")
    assert loop_key("\x1b[1;32mok\x1b[0m 2024-05-01T10:00:00Z") == loop_key("ok 2025-01-09T23:59:59Z")


def test_loop_key_keeps_what_progresses():
    assert loop_key("[12/340] Compiling src/core/parser.c") != loop_key("[13/340] Compiling src/core/parser.c")
    assert loop_key("tests/test_a.py::test_x PASSED [ 10%]") != loop_key("tests/test_a.py::test_y PASSED [ 11%]")
    assert loop_key("Downloading  45%") != loop_key("Downloading  46%")
    assert loop_key("src/api/orders.py") != loop_key("src/api/carts.py")


def test_progress_key_ignores_spinners_and_clocks_but_not_token_counts():
    assert progress_key("⠂ Crystallizing… (1s · ↑ 18 tokens)") == progress_key("⠄ Crystallizing… (2s · ↑ 18 tokens)")
    assert progress_key("· Crystallizing… (2s · ↑ 18 tokens)") != progress_key("· Crystallizing… (2s · ↑ 90 tokens)")
    assert progress_key("eta 0:00:05  40%") != progress_key("eta 0:00:04  45%")


def test_strip_ansi_removes_csi_osc_and_controls():
    assert strip_ansi("\x1b]0;⠂ title\x07\x1b[38;5;174mHi\x1b[0m\x07 there\x1b(B") == "Hi there"


def test_line_stream_treats_carriage_return_and_erase_like_a_terminal():
    stream = LineStream()
    lines, redraw = stream.feed("Downloading 10%\rDownloading 55%\rDone\x1b[K\nnext")
    assert lines == ["Done"] and not redraw
    assert stream.partial == "next"
    lines, _ = stream.feed("\r\x1b[K⠿ working… 3s\r\x1b[K\n● Read(src/app.py)\n")
    assert lines == ["", "● Read(src/app.py)"]


def test_line_stream_notices_cursor_addressing():
    assert LineStream().feed("\x1b[2A\r\x1b[Jredrawn")[1]
    assert LineStream().feed("\x1b[?1049h")[1]
    assert not LineStream().feed("\x1b[?25l\x1b[1;32mcolour\x1b[0m\n")[1]


def test_screen_settler_emits_rows_once_they_stop_changing():
    settler = ScreenSettler()
    transcript = ["● Read(src/app.py)", "  ⎿  Read 40 lines"]
    assert settler.feed(transcript + ["· Baking… (1s)", "esc to interrupt"]) == []
    # the spinner row changed: the rows above it settled, the ones below did not
    assert settler.feed(transcript + ["· Pondering… (2s)", "esc to interrupt"]) == [(r, False) for r in transcript]
    # a new item appears above the spinner: nothing new has settled yet
    assert settler.feed(transcript + ["● Edit(src/app.py)", "· Pondering… (3s)", "esc to interrupt"]) == []
    assert settler.feed(transcript + ["● Edit(src/app.py)", "· Baking… (4s)", "esc to interrupt"]) == [("● Edit(src/app.py)", False)]


def test_screen_settler_follows_scrolling_without_repeating_rows():
    settler = ScreenSettler()
    rows = [f"line {i}" for i in range(10)]
    settler.feed(rows + ["> "])
    first = settler.feed(rows + ["> "])
    assert [r for r, _ in first] == rows + [">"]
    scrolled = rows[3:] + ["line 10", "line 11", "line 12", "> "]
    assert settler.feed(scrolled) == []
    assert [r for r, _ in settler.feed(scrolled[:-1] + ["> x"])] == ["line 10", "line 11", "line 12"]


def test_screen_settler_marks_rows_that_wrap():
    settler = ScreenSettler()
    rows = ["x" * 20, "tail", "─" * 20]
    settler.feed(rows, width=20)
    assert settler.feed(rows, width=20) == [("x" * 20, True), ("tail", False), ("─" * 20, False)]


def test_sentences_are_cut_wherever_the_lines_wrap():
    s = Sentences()
    assert s.add("I will fix the bug. I will fi") == ["I will fix the bug."]
    assert s.add("x the bug. I will", joined="") == ["I will fix the bug."]
    assert s.end() == ["I will"]
