"""Evidence: the per-session observer and the files it writes (casts, event logs).

Also what feeds it: terminal emulation of recordings, the hook relay agents
call, the hooks cockpit installs into worktrees, CPU samples, notifications.
"""
