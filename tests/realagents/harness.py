"""Run a real agent CLI under cockpit against the fake API (fakeapi.py).

`installed()` finds the CLIs tools/install_realagents.sh put in the cache
(COCKPIT_REALAGENTS_DIR, default ~/.cache/cockpit-realagents/<pkg>-<version>).
`agent_spec()` gives one agent an isolated HOME (Claude: onboarding, API key
and folder trust answered; Codex: CODEX_HOME/config.toml, OpenCode: its XDG
config, both pointing at the fake API) and returns the cockpit AgentSpec that
starts it.  `Run` starts the fake
API, spawns the agent in a team, feeds a TeamMonitor the way the TUI does
(output, screens, CPU samples) and plays the scenario's `drive` steps:

    "drive": [{"wait": "regex on the screen", "timeout": 30},
              {"keys": ["Enter"]}, {"type": "/exit"}, {"sleep": 2},
              {"kill": "SIGKILL"}]   # a crash: the signal to the CLI's process group

A step with `"if": "regex"` runs only when the screen shows it then.
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

from cockpit.agents.layout import AgentSpec, Layout
from cockpit.agents.monitor import TeamMonitor
from cockpit.agents.store import append_event
from cockpit.agents.team import Team
from cockpit.recording.activity import tree_cpu

from tests.realagents import fakeapi

CACHE = Path(os.environ.get("COCKPIT_REALAGENTS_DIR") or Path.home() / ".cache" / "cockpit-realagents")
SCENARIOS = Path(__file__).parent / "scenarios"
PACKAGES = {"claude": "claude-code", "codex": "codex", "opencode": "opencode-ai"}  # cache folder <name>-<version> of each CLI
CLAUDE_KEY = "sk-ant-api03-offline-0000000000000000000000000000"
CPU_EVERY = 3.0  # as often as cockpit's observer first samples a quiet agent


@dataclass(frozen=True)
class Cli:
    cli: str  # the cockpit profile: claude, codex or opencode
    version: str
    bin: Path  # folder holding the executable

    @property
    def tag(self) -> str:
        return f"{self.cli}-{self.version}"


def installed(cache: Path = CACHE) -> list[Cli]:
    """Every CLI version in the cache."""
    found = []
    for cli, folder in PACKAGES.items():
        for path in sorted(cache.glob(f"{folder}-*")):
            if (path / "node_modules" / ".bin" / cli).exists():
                found.append(Cli(cli, path.name[len(folder) + 1 :], path / "node_modules" / ".bin"))
    return found


def scenario(name: str) -> dict:
    return json.loads((SCENARIOS / f"{name}.json").read_text(encoding="utf-8"))


def _claude_home(home: Path, version: str, trusted: list[Path]) -> None:
    projects = {str(p): {"hasTrustDialogAccepted": True, "hasCompletedProjectOnboarding": True, "projectOnboardingSeenCount": 5, "allowedTools": []} for p in trusted}
    config = {
        "hasCompletedOnboarding": True,
        "lastOnboardingVersion": version,
        "lastReleaseNotesSeen": version,
        "theme": "dark",
        "numStartups": 5,
        "autoUpdates": False,
        "bypassPermissionsModeAccepted": True,
        "hasSeenAutoDefaultNotice": True,
        "hasSeenAutoDefaultNudge": True,
        "customApiKeyResponses": {"approved": [CLAUDE_KEY[-20:]], "rejected": []},
        "projects": projects,
    }
    (home / ".claude").mkdir(parents=True, exist_ok=True)
    (home / ".claude.json").write_text(json.dumps(config), encoding="utf-8")
    (home / ".claude" / "settings.json").write_text(json.dumps({"skipDangerousModePermissionPrompt": True}), encoding="utf-8")


def _opencode_home(home: Path, url: str, permission: str) -> None:
    config = {
        "model": "fake/mock-model",
        "small_model": "fake/mock-model",
        "autoupdate": False,
        "share": "disabled",
        "provider": {"fake": {"npm": "@ai-sdk/openai-compatible", "name": "Fake", "options": {"baseURL": f"{url}/v1", "apiKey": "sk-offline"},
                              "models": {"mock-model": {"name": "Mock", "tool_call": True}}}},
        "permission": {"bash": permission, "edit": permission},
    }
    (home / ".config" / "opencode").mkdir(parents=True, exist_ok=True)
    (home / ".config" / "opencode" / "opencode.json").write_text(json.dumps(config), encoding="utf-8")


CODEX_CONFIG = """\
model = "mock-model"
model_provider = "fake"
approval_policy = "{approval}"
sandbox_mode = "{sandbox}"
check_for_update_on_startup = false
[model_providers.fake]
name = "Fake"
base_url = "{url}/v1"
env_key = "FAKE_OPENAI_KEY"
wire_api = "responses"
request_max_retries = 0
stream_max_retries = 0
[analytics]
enabled = false
[feedback]
enabled = false
[notice]
hide_full_access_warning = true
hide_world_writable_warning = true
hide_rate_limit_model_nudge = true
"""


def agent_spec(cli: Cli, spec: dict, name: str, url: str, home: Path, worktree: Path) -> AgentSpec:
    """The agent `name` running `cli` on scenario `spec` against the fake API at `url`.

    Scenario keys used here: `prompt`; `ask` (true: permission prompts on);
    `trust` (false: Codex asks whether to trust the folder).
    """
    home.mkdir(parents=True, exist_ok=True)
    (home / ".gitconfig").write_text("[user]\n\tname = Agent\n\temail = agent@example.com\n", encoding="utf-8")
    net = {"HTTPS_PROXY": url, "HTTP_PROXY": url, "ALL_PROXY": url, "NO_PROXY": "127.0.0.1,localhost"}
    env = {"HOME": str(home), "TERM": "xterm-256color", "PATH": f"{cli.bin}:{os.environ.get('PATH', '')}", **net}
    ask = bool(spec.get("ask"))
    if cli.cli == "claude":
        _claude_home(home, cli.version, [Path("/"), worktree] if spec.get("trust", True) else [])
        env |= {
            "ANTHROPIC_BASE_URL": url,
            "ANTHROPIC_API_KEY": CLAUDE_KEY,
            "DISABLE_TELEMETRY": "1",
            "DISABLE_AUTOUPDATER": "1",
            "DISABLE_ERROR_REPORTING": "1",
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
            "IS_SANDBOX": "1",
        }
        args = ["--permission-mode", "default" if ask else "bypassPermissions"]  # 2.1.332 defaults to auto mode
    elif cli.cli == "opencode":
        _opencode_home(home, url, "ask" if ask else "allow")
        env |= {"XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local/share"), "XDG_CACHE_HOME": str(home / ".cache"),
                "XDG_STATE_HOME": str(home / ".local/state"), "OPENCODE_DISABLE_AUTOUPDATE": "1", "OPENCODE_DISABLE_MODELS_FETCH": "1",
                "OPENCODE_DISABLE_LSP_DOWNLOAD": "1", "OPENCODE_DISABLE_DEFAULT_PLUGINS": "1", "OPENCODE_DISABLE_CLAUDE_CODE": "1"}
        args = []
    else:
        codex_home = home / ".codex"
        codex_home.mkdir(exist_ok=True)
        config = CODEX_CONFIG.format(
            url=url, approval="on-request" if ask else "never", sandbox="workspace-write" if ask else "danger-full-access"
        )
        if spec.get("trust", True):
            config += f'[projects."{worktree}"]\ntrust_level = "trusted"\n'
        (codex_home / "config.toml").write_text(config, encoding="utf-8")
        env |= {"CODEX_HOME": str(codex_home), "FAKE_OPENAI_KEY": "sk-offline-0000"}
        args = []
    return AgentSpec(name=name, profile=cli.cli, task=spec.get("prompt", ""), args=args, env=env)


@dataclass
class Run:
    """One agent of `cli` on a scenario, under cockpit in `repo`.

    The caller isolates the environment (tmux socket, COCKPIT_HOME, HOME) and
    puts `cli.bin` on PATH: cockpit looks the program up itself.
    """

    cli: Cli
    spec: dict
    repo: Path
    work: Path  # scratch folder: the agent's HOME, the API log
    name: str = "agent"
    states: list[tuple[float, str]] = field(default_factory=list)  # (time, state) as the monitor showed them

    def __enter__(self) -> Run:
        self.api = fakeapi.serve(self.spec, log=self.work / "api.jsonl")
        url = f"http://127.0.0.1:{self.api.server_port}"
        self.team = Team(self.repo)
        self.team.configure(Layout(stall_after=self.spec.get("stall_after", 120)))
        worktree = self.team.paths.worktree(self.name)
        self.team.spawn(agent_spec(self.cli, self.spec, self.name, url, self.work / "home", worktree))
        self.started = time.time()
        self.monitor = TeamMonitor(self.team)
        self.monitor.sync_records()
        self._cpu_at = 0.0
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.team.down()
        finally:
            self.api.shutdown()

    def keys(self, *keys: str) -> None:
        """Press keys in the agent's pane (tmux key names: Enter, Down, C-c)."""
        self.team.tmux.run("send-keys", "-t", self.team.panes()[self.name].pane_id, *keys)

    def kill(self, sig: signal.Signals) -> None:
        """Crash the CLI: `sig` to its whole process group (it and its tools), as an OOM killer would."""
        pane = self.team.panes()[self.name]
        assert pane.pid is not None and not pane.dead, f"{self.cli.tag}: no live process to kill"
        os.killpg(os.getpgid(pane.pid), sig)

    def screen(self) -> str:
        pane = self.team.panes().get(self.name)
        if pane is None or pane.dead:
            return ""
        return "\n".join(self.team.tmux.capture([pane.pane_id]).get(pane.pane_id, []))

    def poll(self) -> str:
        """Feed the monitor once (as the TUI does on a change); the state it shows now."""
        monitor = self.monitor
        monitor.sync_panes()
        changed = monitor.ingest()
        if changed:
            monitor.read_screens(changed)
        now = time.time()
        state = next(r.state for r in monitor.snapshot(now) if r.name == self.name)
        pane = monitor.views[self.name].pane
        if now - self._cpu_at >= CPU_EVERY and state in ("starting", "working", "stalled") and pane and pane.pid and not pane.dead:
            # Sampled whatever the output: an agent redrawing only its timer is quiet too
            # (cockpit's observer samples only agents that printed nothing for a while).
            self._cpu_at = now
            for seconds in tree_cpu({self.name: pane.pid}).values():
                append_event(self.team.paths.events(self.name), "cpu", seconds=round(seconds, 3))
        if not self.states or self.states[-1][1] != state:
            self.states.append((now, state))
        return state

    def wait(self, check, timeout: float, what: str) -> float:
        """Poll until check() holds; the time it first did."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            self.poll()
            if check():
                return time.time()
            time.sleep(0.1)
        raise AssertionError(f"{self.cli.tag}: timed out after {timeout}s waiting for {what}; states {self.states}; screen:\n{self.screen()}")

    def wait_screen(self, pattern: str, timeout: float = 30.0) -> float:
        regex = re.compile(pattern, re.MULTILINE)
        return self.wait(lambda: regex.search(self.screen()), timeout, f"/{pattern}/ on screen")

    def wait_state(self, state: str, timeout: float = 30.0) -> float:
        return self.wait(lambda: self.states and self.states[-1][1] == state, timeout, f"state {state}")

    def drive(self) -> None:
        """Play the scenario's drive steps, then watch for `watch` seconds more (default 3)."""
        for step in self.spec.get("drive", []):
            if "if" in step and not re.search(step["if"], self.screen(), re.MULTILINE):
                continue
            if "wait" in step:
                self.wait_screen(step["wait"], step.get("timeout", 30))
            elif "keys" in step:
                self.keys(*step["keys"])
            elif "type" in step:
                self.team.send(self.name, step["type"])
            elif "sleep" in step:
                self.watch(step["sleep"])
            elif "kill" in step:
                self.kill(signal.Signals[step["kill"]])
        self.watch(self.spec.get("watch", 3.0))

    def watch(self, seconds: float) -> None:
        """Keep polling for `seconds`."""
        end = time.time() + seconds
        while time.time() < end:
            self.poll()
            time.sleep(0.1)
