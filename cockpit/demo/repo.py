"""A throwaway project for `cockpit demo`: small, but shaped so the simulated
agents' edits overlap for real.

What the scenarios of cockpit.simagent do to it:
  work     src/<agent>.py (new), src/shared.py `PAGE_SIZE = 50` → 25,
           README.md: a bullet at the end of "## Features"
  overlap  src/<agent>.py (new), src/shared.py `PAGE_SIZE = 50` → 100,
           docs/api.md: a section at the end
  ask (y)  src/<agent>.py (new), README.md: the Usage line
So work × overlap conflict in src/shared.py, and work × ask both change
README.md but in separate places (an overlap that merges cleanly).
"""

from __future__ import annotations

from pathlib import Path

from cockpit.errors import CockpitError
from cockpit.git.gitutil import git

IDENTITY = ("cockpit demo", "demo@cockpit.invalid")

FILES = {
    "README.md": """\
# shop

A tiny web shop: orders, carts and a product search.

## Features

- List orders
- Product search

## Usage

Run `python -m shop` and open http://localhost:8000/orders.

## Development

Run the tests with `python -m unittest`.
""",
    "src/__init__.py": "",
    "src/shared.py": """\
\"\"\"Settings shared by every part of the shop.\"\"\"

PAGE_SIZE = 50
TIMEOUT_SECONDS = 30
CURRENCY = "EUR"
""",
    "src/app.py": """\
\"\"\"The shop's request handlers.\"\"\"

from src.shared import PAGE_SIZE

ORDERS = [{"id": n, "total": n * 10} for n in range(1, 121)]
PRODUCTS = ["apple", "banana", "cherry", "date"]


def list_orders():
    return ORDERS[:PAGE_SIZE]


def search(query):
    return [p for p in PRODUCTS if query.lower() in p]
""",
    "docs/api.md": """\
# API

## GET /orders

Returns the most recent orders.

## GET /search?q=TEXT

Returns the products whose name contains TEXT.
""",
    "tests/__init__.py": "",
    "tests/test_app.py": """\
import unittest

from src.app import list_orders, search


class AppTest(unittest.TestCase):
    def test_orders_are_paged(self):
        self.assertLessEqual(len(list_orders()), 200)

    def test_search(self):
        self.assertEqual(search("an"), ["banana"])


if __name__ == "__main__":
    unittest.main()
""",
    ".gitignore": "__pycache__/\n",
}


def create_demo_repo(path: Path) -> Path:
    """Create the demo project as a git repository on `main` with one commit; returns its path."""
    path = Path(path)
    if path.exists() and any(path.iterdir()):
        raise CockpitError(f"{path} already exists and is not empty", "pick a new folder for the demo repository")
    path.mkdir(parents=True, exist_ok=True)
    git("init", "-q", "-b", "main", cwd=path)
    git("config", "user.name", IDENTITY[0], cwd=path)
    git("config", "user.email", IDENTITY[1], cwd=path)
    for rel, text in FILES.items():
        file = path / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    git("add", "-A", cwd=path)
    git("commit", "-q", "-m", "shop: initial version", cwd=path)
    return path
