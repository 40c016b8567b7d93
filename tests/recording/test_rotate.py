"""Recordings past their size are compressed aside; readers see one recording."""

from __future__ import annotations

from cockpit.recording.cast import OUTPUT, CastTail, CastWriter, read_events
from cockpit.recording.rotate import KEEP, parts


def test_a_full_recording_rotates_and_reads_back_whole(tmp_path):
    path = tmp_path / "api.cast"
    writer = CastWriter(path, 80, 24, "api", start=1000.0, max_bytes=2_000)
    tail = CastTail(path)
    seen = []
    for i in range(200):
        writer.write(OUTPUT, f"line {i:04d}\r\n", 1000.0 + i)
        writer.flush()
        if i % 7 == 0:
            seen += [e.data for e in tail.read() if e.code == OUTPUT]
    writer.close()
    seen += [e.data for e in tail.read() if e.code == OUTPUT]
    assert 1 <= len(parts(path)) <= KEEP and path.stat().st_size < 2_500  # bounded
    header, events = read_events(path)
    lines = [e.data for e in events if e.code == OUTPUT]
    first = int(lines[0].split()[1])
    assert lines == [f"line {i:04d}\r\n" for i in range(first, 200)]  # the kept parts, in order, nothing twice
    assert [e.t for e in events] == sorted(e.t for e in events)
    assert any(e.code == "m" and e.data.startswith("rotated:") for e in events)
    assert seen[-1] == "line 0199\r\n" and len(seen) == len(set(seen))  # a live reader follows across rotations


def test_only_keep_parts_are_kept(tmp_path):
    path = tmp_path / "api.cast"
    writer = CastWriter(path, 80, 24, "api", start=0.0, max_bytes=500)
    for i in range(500):
        writer.write(OUTPUT, f"{i:05d} " + "x" * 40, float(i))
    writer.close()
    assert len(parts(path)) == KEEP
    assert all(p.stat().st_mode & 0o077 == 0 for p in parts(path))  # private like the live part


def test_half_an_event_left_by_a_killed_writer_does_not_swallow_the_next(tmp_path):
    path = tmp_path / "api.cast"
    writer = CastWriter(path, 80, 24, "api", start=0.0)
    writer.write(OUTPUT, "line 1\r\n", 1.0)
    writer.close()
    with open(path, "a", encoding="utf-8") as fh:
        fh.write('[2.0, "o", "line 2\\r')  # SIGKILL here
    writer = CastWriter(path, 80, 24, "api", start=0.0)
    writer.write(OUTPUT, "line 3\r\n", 3.0)
    writer.close()
    assert [e.data for e in read_events(path)[1]] == ["line 1\r\n", "line 3\r\n"]


def test_a_capped_reader_replays_its_start_whole_and_then_only_the_newest(tmp_path):
    path = tmp_path / "api.cast"
    writer = CastWriter(path, 80, 24, "api", start=0.0)
    for i in range(100):
        writer.write(OUTPUT, f"old {i:03d} " + "x" * 40 + "\r\n", float(i))
    writer.flush()
    tail = CastTail(path, start_bytes_from_end=1_000_000, max_bytes=500)
    assert len(tail.read()) == 100  # a fresh reader (status) sees all it was asked to replay
    for i in range(100):
        writer.write(OUTPUT, f"new {i:03d} " + "x" * 40 + "\r\n", 100.0 + i)
    writer.close()
    newest = tail.read()
    assert 0 < len(newest) < 15 and newest[-1].data.startswith("new 099")  # a flood: only its tail
