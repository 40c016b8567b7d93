"""One log file for every cockpit process: COCKPIT_HOME/logs/cockpit.log.

Modules log through `logging.getLogger(__name__)`; the processes that run
cockpit (the CLI, the TUI it opens, the recorder) call `setup_logging()` once.
The file rotates at 1 MB, three old files kept, so a long-running recorder
never fills a disk; it is private (0600 in a 0700 folder) because failures
quote agents' output and paths.
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from cockpit.paths import cockpit_home

MAX_BYTES = 1_000_000
BACKUPS = 3
FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"


def log_path() -> Path:
    return cockpit_home() / "logs" / "cockpit.log"


class _PrivateRotatingHandler(RotatingFileHandler):
    """Every file it opens (the first and each one after a rotation) is 0600."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send the `cockpit` loggers to the rotating log file; the file's path, or None if it cannot be written.

    Idempotent: a second call in the same process keeps the handler, unless
    COCKPIT_HOME changed since (tests), which moves it.  A log that cannot be
    opened never stops cockpit: the loggers then stay silent."""
    logger = logging.getLogger("cockpit")
    path = log_path()
    for handler in list(logger.handlers):
        if isinstance(handler, _PrivateRotatingHandler):
            if Path(handler.baseFilename) == path:
                return path
            logger.removeHandler(handler)
            handler.close()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handler = _PrivateRotatingHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(handler)
    logger.setLevel(level)
    return path
