"""Tokens and cost per agent, read from the files its CLI writes (see cockpit.usage.meter)."""
