"""git plumbing: repository queries, agent worktrees, merge-tree predictions."""
