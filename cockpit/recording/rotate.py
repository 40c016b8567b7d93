"""Recordings stay bounded: past a size the current `.cast` is compressed aside.

`NAME.cast` is the live part; `NAME.cast.1.gz` the one before it, up to
`NAME.cast.KEEP.gz` (the oldest part beyond that is dropped, so an agent's
recordings take at most max_bytes plus KEEP compressed parts — terminal output
compresses ~10×).  Each part is a whole asciicast file with its own header and
events carry absolute times, so readers (`analyze`) join the parts oldest first.
"""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

KEEP = 4
DEFAULT_MAX_MB = 64


def part(path: Path, n: int) -> Path:
    return path.with_name(f"{path.name}.{n}.gz")


def parts(path: Path) -> list[Path]:
    """The rotated parts of a recording, oldest first (the live file not included)."""
    found = []
    n = 1
    while part(path, n).exists():
        found.append(part(path, n))
        n += 1
    return list(reversed(found))


def rotate(path: Path, keep: int = KEEP) -> None:
    """Compress `path` into part 1, shifting older parts up; the oldest beyond `keep` goes."""
    oldest = part(path, keep)
    if oldest.exists():
        oldest.unlink()
    for n in range(keep - 1, 0, -1):
        if part(path, n).exists():
            os.replace(part(path, n), part(path, n + 1))
    tmp = path.with_name(path.name + ".rotating.gz")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(path, "rb") as src, gzip.GzipFile(fileobj=os.fdopen(fd, "wb"), mode="wb") as dst:
        shutil.copyfileobj(src, dst)
    os.replace(tmp, part(path, 1))
    path.unlink()


def read_text(path: Path) -> str:
    """A recording part's text, compressed or not."""
    if path.suffix == ".gz":
        with gzip.open(path, "rt", encoding="utf-8", errors="replace") as fh:
            return fh.read()
    return path.read_text(encoding="utf-8", errors="replace")
