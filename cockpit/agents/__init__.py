"""Agents: the team (spawn, stop, remove), their records, names, profiles and layouts."""
