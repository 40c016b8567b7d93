"""The log file: where it is, who may read it, that it rotates, and that doctor names it."""

import logging
import stat

from cockpit import logs
from cockpit.cli import main


def test_setup_logging_writes_a_private_rotating_file(monkeypatch, tmp_path):
    monkeypatch.setenv("COCKPIT_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(logs, "MAX_BYTES", 200)
    path = logs.setup_logging()
    try:
        assert path == tmp_path / "home" / "logs" / "cockpit.log"
        assert logs.setup_logging() == path  # once per process
        assert sum(isinstance(h, logs._PrivateRotatingHandler) for h in logging.getLogger("cockpit").handlers) == 1
        log = logging.getLogger("cockpit.somewhere")
        for i in range(20):
            log.info("line %d of something worth keeping", i)
        assert "cockpit.somewhere: line 19" in path.read_text()
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        for file in [path, path.with_name("cockpit.log.1")]:
            assert stat.S_IMODE(file.stat().st_mode) == 0o600
        assert not path.with_name("cockpit.log.4").exists()  # three old files at most
    finally:
        for handler in list(logging.getLogger("cockpit").handlers):
            logging.getLogger("cockpit").removeHandler(handler)
            handler.close()


def test_doctor_says_where_the_log_is(make_repo, capsys, monkeypatch):
    repo = make_repo("shop", {"README.md": "x\n"})
    monkeypatch.chdir(repo)
    main(["doctor"])
    out = capsys.readouterr().out
    assert f"log file: {logs.log_path()}" in out
    assert logs.log_path().exists()
