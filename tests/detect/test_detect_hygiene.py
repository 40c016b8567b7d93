"""The detectors stay pure: no UI, tmux, git or clock inside cockpit/detect."""

from __future__ import annotations

import ast
from pathlib import Path

import cockpit.detect

FORBIDDEN = {"textual", "libtmux", "git", "time", "datetime", "subprocess", "cockpit.git.gitutil", "cockpit.tmux.server", "cockpit.agents.team", "cockpit.agents.monitor"}


def test_detect_modules_import_nothing_impure():
    root = Path(cockpit.detect.__file__).parent
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not any(name == f or name.startswith(f + ".") for f in FORBIDDEN), f"{path.name} imports {name}"
