"""Architecture rules: the core works without the UI, the detectors without tmux or git, and no module grows past 400 lines.

Import rules are checked in a fresh interpreter through `sys.modules`, so an
import made indirectly (a helper importing tmux) counts too.
"""

import pkgutil
import subprocess
import sys
from pathlib import Path

import cockpit

MODULES = sorted(name for _finder, name, _ispkg in pkgutil.walk_packages(cockpit.__path__, "cockpit."))
CORE = [name for name in MODULES if not name.startswith("cockpit.ui") and name != "cockpit.__main__" and not name.endswith(".__main__")]
DETECT = [name for name in MODULES if name == "cockpit.detect" or name.startswith("cockpit.detect.")]
MAX_LINES = 400
def imported_by(modules: list[str]) -> set[str]:
    """Every module in sys.modules after importing `modules` in a fresh interpreter."""
    code = f"import importlib, sys\nfor name in {modules!r}:\n    importlib.import_module(name)\nprint('\\n'.join(sys.modules))\n"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(proc.stdout.split())


def under(modules: set[str], *packages: str) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in packages))


def test_core_modules_never_import_textual():
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "", f"core imports textual: {proc.stdout}"
    assert "cockpit.agents.team" in CORE and "cockpit.agents.monitor" in CORE and "cockpit.recording.observer" in CORE


def test_core_modules_never_import_the_ui():
    assert under(imported_by(CORE), "cockpit.ui") == []


def test_detectors_import_neither_tmux_nor_git():
    """The detectors are pure functions of timestamped events: replayable offline, testable without a server."""
    assert len(DETECT) > 3
    assert under(imported_by(DETECT), "cockpit.tmux", "cockpit.git", "libtmux", "git") == []


def test_states_import_nothing_of_cockpit():
    assert under(imported_by(["cockpit.states"]), "cockpit") == ["cockpit", "cockpit.states"]


def test_no_module_is_longer_than_400_lines():
    root = Path(cockpit.__file__).parent.parent
    lengths = {str(path.relative_to(root)): len(path.read_text().splitlines()) for path in (root / "cockpit").rglob("*.py")}
    too_long = {path: n for path, n in lengths.items() if n > MAX_LINES}
    assert too_long == {}


def test_every_command_has_help():
    from cockpit.cli import COMMANDS, build_parser

    parser = build_parser()
    for name in COMMANDS:
        proc = subprocess.run([sys.executable, "-m", "cockpit", name, "--help"], capture_output=True, text=True)
        assert proc.returncode == 0 and "--repo" in proc.stdout, name
    assert parser.prog == "cockpit"
