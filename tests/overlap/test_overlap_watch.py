"""Filesystem events reach the radar as the agents they concern, and the view follows a save."""

import asyncio
import subprocess

from cockpit.agents.store import Store
from cockpit.overlap import OverlapRadar
from cockpit.overlap.watch import AgentWatcher, live_updates
from cockpit.paths import RepoPaths

from tests.overlap_helpers import commit_all, git, make_team, write


def test_events_map_to_the_agents_they_concern(make_repo):
    repo = make_repo(files={"a.txt": "a\n"})
    wts = make_team(repo, ["one", "two"])
    agents = Store(RepoPaths(repo)).agents()
    watcher = AgentWatcher(repo, agents)
    git_dir = repo / ".git"
    admin_one = git(wts["one"], "rev-parse", "--path-format=absolute", "--git-dir").strip()

    assert watcher.agents_for(str(wts["one"] / "src" / "x.py")) == {"one"}
    assert watcher.agents_for(str(wts["two"] / "a.txt")) == {"two"}
    assert watcher.agents_for(str(git_dir / "refs" / "heads" / "cockpit" / "two")) == {"two"}
    assert watcher.agents_for(str(git_dir / "refs" / "heads" / "main")) == {"one", "two"}  # their base moved
    assert watcher.agents_for(str(git_dir / "packed-refs")) == {"one", "two"}
    assert watcher.agents_for(f"{admin_one}/index") == {"one"}
    assert watcher.agents_for(f"{admin_one}/HEAD") == {"one"}
    for noise in [
        wts["one"] / ".claude" / "settings.local.json",
        wts["one"] / ".aider.chat.history.md",
        wts["one"] / "node_modules" / "left-pad" / "index.js",
        wts["one"] / ".git",
        git_dir / "objects" / "ab" / "cdef",
        git_dir / "refs" / "heads" / "main.lock",
        git_dir / "logs" / "HEAD",
        git_dir / "refs" / "heads" / "someone-else",
        repo / "a.txt",  # the main checkout is no agent's work
    ]:
        assert watcher.agents_for(str(noise)) == set(), noise
    assert set(watcher.paths()) == {wts["one"], wts["two"], git_dir}


async def next_update(gen, timeout=20.0):
    return await asyncio.wait_for(gen.__anext__(), timeout)


def test_live_updates_follow_saves_commits_and_a_moving_base(make_repo, tmp_path):
    repo = make_repo(files={"app.py": "".join(f"line {i}\n" for i in range(20))})
    wts = make_team(repo, ["one", "two", "three"])
    write(wts["one"], "app.py", (wts["one"] / "app.py").read_text().replace("line 3\n", "one\n"))

    async def scenario():
        with OverlapRadar(repo, Store(RepoPaths(repo)).agents(), index_dir=tmp_path / "idx") as radar:
            stop = asyncio.Event()
            gen = live_updates(radar, stop, debounce_ms=150, step_ms=20)
            first = await next_update(gen)
            assert first.report.pairs == ()

            # a save in another worktree: the conflict shows up
            write(wts["two"], "app.py", (wts["two"] / "app.py").read_text().replace("line 3\n", "two\n"))
            update = await next_update(gen)
            while not update.new_conflicts:  # a burst may arrive in more than one piece
                update = await next_update(gen)
            assert [(n.agents, n.paths) for n in update.new_conflicts] == [(("one", "two"), ("app.py",))]

            # the base moves under agent three's uncommitted edit: three now conflicts with main
            write(wts["three"], "app.py", (wts["three"] / "app.py").read_text().replace("line 9\n", "three\n"))
            write(repo, "app.py", (repo / "app.py").read_text().replace("line 9\n", "main\n"))
            commit_all(repo, "main moves")
            while "three" not in update.report.base_conflicts:
                update = await next_update(gen)
            assert update.report.base_conflicts["three"] == ("app.py",)

            # committing in a worktree keeps the view right (new HEAD, same content)
            subprocess.run(["git", "commit", "-qam", "two commits"], cwd=wts["two"], check=True)
            while radar.state("two").snapshot.head != git(wts["two"], "rev-parse", "HEAD").strip():
                update = await next_update(gen)
            assert update.report.pair("one", "two").conflicts == ("app.py",)

            stop.set()
            async for _ in gen:  # ends once the watcher stops
                pass

    asyncio.run(asyncio.wait_for(scenario(), 90))
