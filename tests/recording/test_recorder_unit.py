"""The recorder's control-mode parsing, without tmux: escapes, replies, pane mapping, resync."""

import json

from cockpit.recording.cast import read_events
from cockpit.recording.control import Recorder, decode_output, parse_line
from cockpit.recording.resync import recover


def test_control_mode_escapes_are_undone():
    assert decode_output(rb"a\134b\015\012\033[31mred") == b"a\\b\r\n\x1b[31mred"
    assert decode_output("héllo".encode()) == "héllo".encode()


def test_output_lines_parse_to_pane_and_bytes():
    note = parse_line(rb"%output %12 hi\040there\012")
    assert note.kind == "output" and note.args == [b"%12"] and note.data == b"hi there\n"
    assert parse_line(b"%window-add @3").kind == "window-add"
    assert parse_line(b"not a notification") is None


class FakeTmux:
    """Plays tmux's side of the control channel."""

    def __init__(self):
        self.sent: list[str] = []

    def __call__(self, command: str) -> None:
        self.sent.append(command)


def reply(recorder: Recorder, lines: list[bytes], ok: bool = True) -> None:
    recorder.feed_line(b"%begin 1 1 1")
    for line in lines:
        recorder.feed_line(line)
    recorder.feed_line(b"%end 1 1 1" if ok else b"%error 1 1 1")


def test_nothing_is_asked_before_the_client_is_attached(tmp_path):
    tmux = FakeTmux()
    rec = Recorder(tmp_path, tmux)
    rec.feed_line(b"%begin 5 5 0")  # the attach's own reply is not ours
    rec.feed_line(b"%end 5 5 0")
    assert tmux.sent == []
    rec.feed_line(b"%session-changed $0 shop")
    assert tmux.sent[0].startswith("list-panes") and "refresh-client -B" in tmux.sent[1]


def test_a_pane_dead_without_status_makes_tmux_reap(tmp_path):
    tmux = FakeTmux()
    rec = Recorder(tmp_path, tmux)
    rec.feed_line(b"%session-changed $0 shop")
    reply(rec, [b"%1 80 24 0 api"])
    reply(rec, [])
    rec.feed_line(b"%subscription-changed cockpit-dead $0 @1 1 %1 : 0")
    rec.feed_line(b"%subscription-changed cockpit-dead $0 @1 1 %1 : 13")
    assert "run-shell -b true" not in tmux.sent  # status known: nothing to do
    rec.feed_line(b"%subscription-changed cockpit-dead $0 @2 2 %2 : 1")
    assert tmux.sent[-1] == "run-shell -b true"


def test_output_before_the_pane_is_known_is_kept_and_written_in_order(tmp_path):
    tmux = FakeTmux()
    clock = iter([100.0, 100.5, 101.0, 102.0, 103.0]).__next__
    rec = Recorder(tmp_path, tmux, clock=clock)
    rec.feed_line(b"%session-changed $0 shop")
    reply(rec, [])  # first mapping: no panes yet
    reply(rec, [])  # the subscription
    rec.feed_line(rb"%output %3 first\015\012")
    rec.feed_line(rb"%output %3 second\015\012")
    assert any(c.startswith("list-panes") for c in tmux.sent[1:])
    reply(rec, [b"%3 120 40 0 api", b"%0 80 24 0 "])
    rec.flush()
    header, events = read_events(tmp_path / "api.cast")
    assert (header.width, header.height) == (120, 40)
    assert [e.data for e in events] == ["first\r\n", "second\r\n"]
    assert events[0].t < events[1].t
    assert not (tmp_path / ".cast").exists()  # the recorder's own pane is never recorded


def test_utf8_split_across_chunks_is_decoded_whole(tmp_path):
    tmux = FakeTmux()
    rec = Recorder(tmp_path, tmux)
    rec.start()
    reply(rec, [b"%1 80 24 0 web"])
    data = "ü✓".encode()
    rec.feed_line(b"%output %1 " + data[:1])
    rec.feed_line(b"%output %1 " + data[1:4])
    rec.feed_line(b"%output %1 " + data[4:])
    rec.flush()
    _header, events = read_events(tmp_path / "web.cast")
    assert "".join(e.data for e in events) == "ü✓"


def cast_with(path, *outputs: str) -> None:
    lines = [json.dumps({"version": 2, "width": 80, "height": 24, "timestamp": 1})]
    lines += [json.dumps([i + 1.0, "o", data]) for i, data in enumerate(outputs)]
    path.write_text("\n".join(lines) + "\n")


def test_restart_appends_exactly_what_was_printed_meanwhile(tmp_path):
    cast_with(tmp_path / "api.cast", "line 1\r\nline 2\r\nline 3\r\nline 4")
    tmux = FakeTmux()
    rec = Recorder(tmp_path, tmux)
    rec.start()
    reply(rec, [b"%4 80 24 0 api", b"%5 80 24 1 dead"])
    assert tmux.sent[-1] == "display-message -p -t %4 '#{cursor_x}' ; capture-pane -p -J -S - -t %4"  # only the live agent with a recording
    rec.feed_line(rb"%output %4 line 7\015\012")  # notified before the capture: already in its history
    reply(rec, [])  # the subscription
    reply(rec, [b"0"])  # cursor_x: at the start of a line
    reply(rec, [b"line 1", b"line 2", b"line 3", b"line 45", b"line 6", b"line 7", b"", b""])
    rec.feed_line(rb"%output %4 line 8\015\012")  # after the capture: new
    rec.flush()
    _header, events = read_events(tmp_path / "api.cast")
    output = "".join(e.data for e in events if e.code == "o")
    assert output == "line 1\r\nline 2\r\nline 3\r\nline 45\r\nline 6\r\nline 7\r\nline 8\r\n"
    assert any(e.code == "m" and "resync: 3 lines" in e.data for e in events)


def test_nothing_missed_means_nothing_written(tmp_path):
    assert recover("a\r\nb\r\nc\r\n", ["a", "b", "c", "", ""], cursor_at_line_start=True).text == ""
    assert recover("a\r\nb\r\n$ ", ["a", "b", "$"], cursor_at_line_start=False).text == ""


def test_a_recording_cut_between_cr_and_lf_gets_only_the_lf():
    """Seen in bench/recovery_bench.py under load: the old observer's last chunk ended in "\r";
    the resync wrote "\r\n" again, so the line ended "\r\r\n" (2 of 16 agents not byte-exact)."""
    recorded = "line 1\r\nline 2\r\nline 3\r"
    found = recover(recorded, ["line 1", "line 2", "line 3", "line 4"], cursor_at_line_start=True)
    assert recorded + found.text == "line 1\r\nline 2\r\nline 3\r\nline 4\r\n" and found.lines == 2


def test_a_gap_beyond_the_history_is_marked_not_guessed():
    found = recover("old 1\r\nold 2\r\n", ["new 9", "new 10"], cursor_at_line_start=True)
    assert found.gap and found.text == "\r\nnew 9\r\nnew 10\r\n"


def test_the_join_is_the_latest_match_and_ignores_colours_and_redraws():
    recorded = "\x1b[32mok\x1b[0m\r\nstep\r\nworking 1\rworking 2\r\n"
    history = ["ok", "step", "working 2", "ok", "step", "working 2", "done"]
    assert recover(recorded, history, cursor_at_line_start=True).text == "done\r\n"


def test_resize_is_recorded(tmp_path):
    rec = Recorder(tmp_path, FakeTmux())
    rec.start()
    reply(rec, [b"%1 80 24 0 api"])
    reply(rec, [])  # the subscription
    rec.feed_line(b"%output %1 x")
    rec.feed_line(b"%layout-change @1 abcd,100x30,0,0,1")
    reply(rec, [b"%1 100 30 0 api"])
    rec.flush()
    _header, events = read_events(tmp_path / "api.cast")
    assert [(e.code, e.data) for e in events] == [("o", "x"), ("r", "100x30")]


def test_failed_command_does_not_derail_later_replies(tmp_path):
    tmux = FakeTmux()
    rec = Recorder(tmp_path, tmux)
    rec.start()
    reply(rec, [], ok=False)
    reply(rec, [], ok=False)
    rec.feed_line(b"%output %2 hello")
    reply(rec, [b"%2 80 24 0 docs"])
    rec.flush()
    assert read_events(tmp_path / "docs.cast")[1][0].data == "hello"
