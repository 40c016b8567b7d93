"""Layout files: valid ones load with defaults applied; every mistake names the file and the key."""

import pytest

from cockpit.agents.layout import load_layout, parse_duration
from cockpit.errors import CockpitError

from tests.support import cli


def write(tmp_path, text: str):
    path = tmp_path / "team.toml"
    path.write_text(text)
    return path


def error_of(tmp_path, text: str) -> str:
    with pytest.raises(CockpitError) as info:
        load_layout(write(tmp_path, text))
    return str(info.value)


def test_example_from_the_issue_loads_with_defaults_applied(tmp_path):
    layout = load_layout(
        write(
            tmp_path,
            """
session = "shop"
base = "main"
stall_after = "120s"
[defaults]
profile = "claude"
env = { SHARED = "yes" }
[[agents]]
name = "api"
profile = "claude"
task = "Add pagination to /orders"
[[agents]]
name = "web"
command = ["python3", "tools/agent.py", "{task}"]
task = "Fix the date picker"
env = { FOO = "1" }
""",
        )
    )
    assert layout.session == "shop" and layout.base == "main" and layout.stall_after == 120
    api, web = layout.agents
    assert api.profile == "claude" and api.task == "Add pagination to /orders"
    assert web.profile == "claude"  # [defaults] applies to every agent that does not set the key
    assert web.command == ["python3", "tools/agent.py", "{task}"]
    assert web.env == {"SHARED": "yes", "FOO": "1"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ('[[agents]]\nname = "a"\nprofile = "claude"\ntsak = "x"\n', "agents[0] (a).tsak: unknown key"),
        ('[[agents]]\nprofile = "claude"\n', "agents[0].name: required key is missing"),
        ('[[agents]]\nname = "a"\nprofile = "nope"\n', "agents[0] (a).profile: unknown profile 'nope'"),
        ('[[agents]]\nname = "a"\n', 'agents[0] (a): needs "profile" or "command"'),
        ('stall_after = "soon"\n', "stall_after:"),
        ('[[agents]]\nname = "a"\ncommand = []\n', "agents[0] (a).command:"),
        ('[[agents]]\nname = "a"\nprofile = "claude"\n[[agents]]\nname = "a"\nprofile = "codex"\n', "agents[1] (a).name: same name as agents[0]"),
        ('[[agents]]\nname = "a"\nprofile = "claude"\nafter = ["ghost"]\n', "agents[0] (a).after: no agent named 'ghost'"),
        (
            '[[agents]]\nname = "a"\nprofile = "claude"\nafter = ["b"]\n[[agents]]\nname = "b"\nprofile = "claude"\nafter = ["a"]\n',
            "dependency cycle a → b → a",
        ),
        ('[defaults]\nprofle = "claude"\n', "defaults.profle: unknown key"),
        ('sesion = "x"\n', "sesion: unknown key"),
        ('[[agents]\nname = "a"\n', "not valid TOML"),
    ],
)
def test_errors_name_file_and_key(tmp_path, text, expected):
    message = error_of(tmp_path, text)
    assert str(tmp_path / "team.toml") in message
    assert expected in message


def test_cli_reports_layout_error_without_traceback(tmp_path, repo, capsys):
    path = write(tmp_path, '[[agents]]\nname = "a"\nprofile = "claude"\ntsak = "x"\n')
    code, out, err = cli(capsys, "up", str(path), "--repo", str(repo))
    assert code == 2
    assert f"{path}: agents[0] (a).tsak: unknown key" in err
    assert "Traceback" not in err


def test_missing_layout_file_is_a_clear_error(tmp_path, repo, capsys):
    code, _out, err = cli(capsys, "up", str(tmp_path / "nope.toml"), "--repo", str(repo))
    assert code == 2 and "no such layout file" in err


@pytest.mark.parametrize("text, seconds", [("120s", 120), ("2m", 120), ("1h30m", 5400), ("90", 90), (45, 45), ("500ms", 0.5)])
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


def test_a_name_that_needs_sanitising_is_refused_with_a_valid_suggestion(tmp_path):
    with pytest.raises(CockpitError) as exc:
        load_layout(write(tmp_path, '[[agents]]\nname = "fix the: date..picker!"\nprofile = "claude"\n'))
    assert "team.toml: agents[0] (fix the: date..picker!).name:" in str(exc.value)
    assert "use 'fix-the-date.picker' instead" in str(exc.value)


def test_require_approval_is_a_typed_team_setting_kept_by_up(repo, tmp_path):
    """The merge queue reads `require_approval` from the team's saved settings, not from the layout file."""
    from cockpit.agents.team import Team

    layout = tmp_path / "team.toml"
    layout.write_text("require_approval = true\n")
    Team(repo).configure(load_layout(layout))
    assert Team(repo).state.settings.require_approval is True
    layout.write_text('stall_after = "5m"\n')  # silent about it: kept
    Team(repo).configure(load_layout(layout))
    assert Team(repo).state.settings.require_approval is True
    layout.write_text('require_approval = "yes please"\n')
    with pytest.raises(CockpitError, match="require_approval"):
        load_layout(layout)
