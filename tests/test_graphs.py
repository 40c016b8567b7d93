from cockpit.graphs import find_cycle
from cockpit.timefmt import age, duration


def test_cycles_are_found_and_named():
    assert find_cycle({"a": ["b"], "b": ["c"], "c": []}) is None
    assert find_cycle({"a": ["b"], "b": ["a"]}) == ["a", "b", "a"]
    assert find_cycle({"x": [], "a": ["b"], "b": ["c"], "c": ["b"]}) == ["b", "c", "b"]


def test_times_read_naturally():
    assert [age(s) for s in (None, 5, 37, 200, 3900)] == ["never", "5s", "30s", "3m", "1h05"]
    assert [duration(s) for s in (5, 185, 3900)] == ["5s", "3m05s", "1h05m"]
