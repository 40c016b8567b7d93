"""Notification sinks for state changes."""

from __future__ import annotations

from cockpit.recording.notify import Notifier, NotifySettings


class Fakes:
    def __init__(self, notify_send: str | None = "/usr/bin/notify-send", fail: bool = False) -> None:
        self.bells = 0
        self.messages: list[str] = []
        self.spawned: list[list[str]] = []
        self.notify_send = notify_send
        self.fail = fail

    def notifier(self, settings: NotifySettings | None = None) -> Notifier:
        return Notifier(settings, bell=self.bell, tmux_message=self.messages.append, which=lambda name: self.notify_send, spawn=self.spawn)

    def bell(self) -> None:
        self.bells += 1

    def spawn(self, argv, **kwargs):
        if self.fail:
            raise OSError("no display")
        self.spawned.append(argv)


def test_entering_a_state_that_needs_a_look_fires_every_sink():
    fakes = Fakes()
    sent = fakes.notifier().state_changed("api", "working", "needs_input", "asks: Apply these changes? [y/n]")
    assert sent.sinks == ["bell", "tmux", "desktop"] and sent.errors == []
    assert fakes.bells == 1
    assert fakes.messages == ["cockpit: api: needs input — asks: Apply these changes? [y/n]"]
    (argv,) = fakes.spawned
    assert argv[0] == "/usr/bin/notify-send" and "--urgency=critical" in argv
    assert argv[-2:] == ["cockpit: api needs input", "asks: Apply these changes? [y/n]"]


def test_other_states_and_repeats_are_quiet():
    fakes = Fakes()
    notifier = fakes.notifier()
    assert notifier.state_changed("api", "starting", "working").sinks == []
    assert notifier.state_changed("api", "looping", "looping").sinks == []
    assert fakes.bells == 0 and fakes.spawned == []


def test_each_sink_can_be_switched_off():
    fakes = Fakes()
    settings = NotifySettings(bell=False, desktop=False, states=["exited"])
    notifier = fakes.notifier(settings)
    assert notifier.state_changed("api", "working", "stalled").sinks == []
    assert notifier.state_changed("api", "working", "exited", "exit code 3").sinks == ["tmux"]
    assert fakes.bells == 0 and fakes.spawned == []


def test_missing_or_failing_notify_send_is_reported_not_raised():
    assert Fakes(notify_send=None).notifier().state_changed("a", None, "looping").sinks == ["bell", "tmux"]
    sent = Fakes(fail=True).notifier().state_changed("a", None, "looping")
    assert "desktop" not in sent.sinks and sent.errors == ["notify-send: no display"]


def _argv_writer(out) -> list[str]:
    """A command that writes the argv it got to `out`, as JSON."""
    import sys

    return [sys.executable, "-c", f"import json, sys; open({str(out)!r}, 'w').write(json.dumps(sys.argv[1:]))", "{message}", "{agent}", "--state={state}"]


def test_a_command_sink_gets_the_message_as_one_argument_without_a_shell(tmp_path):
    import json

    from tests.support import eventually

    out = tmp_path / "argv.json"
    settings = NotifySettings(bell=False, desktop=False, tmux=False, command=_argv_writer(out))
    detail = "asks: rm -rf $(HOME) `x` {agent} ; ok? [y/n]"
    sent = Notifier(settings).state_changed("api", "working", "needs_input", detail)
    assert sent.sinks == ["command"] and sent.errors == []
    argv = eventually(lambda: out.exists() and json.loads(out.read_text() or "null"), what="the command ran")
    assert argv == [f"cockpit: api: needs input — {detail}", "api", "--state=needs input"]


def test_a_missing_or_failing_command_is_logged_and_other_sinks_still_fire(tmp_path, caplog):
    import sys

    from tests.support import eventually

    fakes = Fakes()
    missing = NotifySettings(desktop=False, command=[str(tmp_path / "no-such-ntfy"), "{message}"])
    sent = Notifier(missing, bell=fakes.bell, tmux_message=fakes.messages.append).state_changed("api", None, "stalled")
    assert sent.sinks == ["bell", "tmux"] and fakes.bells == 1
    assert sent.errors and sent.errors[0].startswith(f"notify command {tmp_path / 'no-such-ntfy'}:")

    failing = NotifySettings(bell=False, desktop=False, tmux=False, command=[sys.executable, "-c", "import sys; sys.exit('topic not found')", "{message}"])
    with caplog.at_level("WARNING", logger="cockpit.recording.notify"):
        assert Notifier(failing).state_changed("api", None, "looping").sinks == ["command"]
        eventually(lambda: "exited 1: topic not found" in caplog.text, what="the failure logged")


def test_a_layout_takes_a_notify_command(tmp_path):
    from cockpit.agents.layout import load_layout

    layout = tmp_path / "team.toml"
    layout.write_text('[notify]\ncommand = ["ntfy", "publish", "mytopic", "{message}"]\n')
    assert load_layout(layout).notify.command == ["ntfy", "publish", "mytopic", "{message}"]


def test_the_observer_runs_the_layouts_command_once_when_an_agent_needs_input(repo, tmp_path):
    import json
    import sys
    import time

    from cockpit.agents.layout import AgentSpec, load_layout
    from cockpit.agents.team import Team

    from tests.support import eventually, py

    out = tmp_path / "pushed.jsonl"
    writer = f"import json, sys; open({str(out)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')"
    layout = tmp_path / "team.toml"
    layout.write_text(f"[notify]\ndesktop = false\ncommand = {json.dumps([sys.executable, '-c', writer, '{message}'])}\n")
    team = Team(repo)
    team.configure(load_layout(layout), layout)
    team.spawn(AgentSpec(name="asks", command=py("import time; print('Overwrite config? [y/N] ', end='', flush=True); time.sleep(3600)")))
    eventually(lambda: out.exists() and out.read_text(), timeout=15, what="the command ran")
    time.sleep(2.5)  # more ticks of the observer's clock: the state holds, nothing more is pushed
    pushed = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(pushed) == 1 and pushed[0][0].startswith("cockpit: asks: needs input"), pushed
