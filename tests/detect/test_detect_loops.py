"""The loop detector on hand-made unit sequences."""

from cockpit.detect.loops import CHANT_RULES, TOOL_RULES, LoopDetector
from cockpit.detect.normalize import loop_key


def feed(detector, units, start=0.0, step=2.0):
    found = None
    for i, unit in enumerate(units):
        found = detector.add(start + i * step, loop_key(unit), unit)
    return found


def test_a_cycle_of_two_actions_is_a_loop_at_its_third_repetition():
    cycle = ['● Grep(pattern: "def connect")', "⎿ Found 0 files", '● Grep(pattern: "connect\\(")', "⎿ Found 0 files"]
    detector = LoopDetector()
    assert feed(detector, cycle * 2 + cycle[:3]) is None
    loop = feed(detector, cycle[3:], start=100)
    assert loop is not None and loop.period == 4 and loop.count == 3
    assert loop.snippets == tuple(cycle)


def test_noise_does_not_hide_a_repeated_error():
    detector = LoopDetector()
    units = []
    for i in range(3):
        units += ["● Bash(npm test)", f"Error: Cannot find module './db' at 10:0{i}:01.{i}12 (pid {4000 + i * 77}, req 0x{i}f3a9c)"]
    loop = feed(detector, units)
    assert loop is not None and loop.count == 3


def test_one_line_repeated_needs_four_copies():
    detector = LoopDetector()
    assert feed(detector, ["Retrying the request to the server"] * 3) is None
    assert detector.add(10.0, loop_key("Retrying the request to the server"), "x") is not None


def test_progressing_look_alike_output_never_loops():
    detector = LoopDetector()
    tests = [f"tests/test_orders.py::test_case_{i} PASSED [{i:3d}%]" for i in range(100)]
    builds = [f"[{i}/340] Compiling src/core/file_{i % 7}.c" for i in range(1, 200)]
    files = [f"src/module_{i % 13}/part_{i}.py" for i in range(200)]
    assert feed(detector, tests + builds + files, step=0.5) is None


def test_identical_lines_printed_at_once_are_a_listing_not_a_loop():
    detector = LoopDetector()
    merges = [f"{i:07x}a Merge branch 'main' into feature" for i in range(40)]
    assert feed(detector, merges, step=0.001) is None


def test_fast_repetition_needs_many_copies():
    detector = LoopDetector()
    assert feed(detector, ["I am going to fix it now, right away"] * 9, step=0.15) is None
    assert detector.add(2.0, loop_key("I am going to fix it now, right away"), "x") is not None


def test_a_loop_ends_when_something_else_happens():
    detector = LoopDetector()
    assert feed(detector, ["● Bash(make)", "make: *** [all] Error 1"] * 3) is not None
    assert detector.add(99.0, loop_key("● Edit(Makefile)"), "edit") is None
    assert detector.current is None


def test_tool_calls_loop_after_three_identical_calls():
    detector = LoopDetector(TOOL_RULES)
    assert feed(detector, ["Bash(npm test)"] * 2) is None
    assert feed(detector, ["Bash(npm test)"], start=10) is not None


def test_chants_need_words():
    detector = LoopDetector(CHANT_RULES)
    assert feed(detector, ["Ok."] * 10, step=0.1) is None
    assert feed(LoopDetector(CHANT_RULES), ["I will now fix the failing test."] * 4, step=0.1) is not None
