"""Architecture rules that keep the core usable without the UI."""

import pkgutil
import subprocess
import sys

import cockpit

CORE = sorted(
    name
    for _finder, name, _ispkg in pkgutil.walk_packages(cockpit.__path__, "cockpit.")
    if not name.startswith("cockpit.ui") and name != "cockpit.__main__"
)


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


def test_every_command_has_help():
    from cockpit.cli import COMMANDS, build_parser

    parser = build_parser()
    for name in COMMANDS:
        proc = subprocess.run([sys.executable, "-m", "cockpit", name, "--help"], capture_output=True, text=True)
        assert proc.returncode == 0 and "--repo" in proc.stdout, name
    assert parser.prog == "cockpit"
