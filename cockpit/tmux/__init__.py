"""cockpit's tmux server: commands on its own socket, sessions and windows."""
