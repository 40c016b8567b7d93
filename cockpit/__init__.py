"""cockpit: supervise many coding agents, each in its own git worktree and tmux window."""

__version__ = "0.1.0"
