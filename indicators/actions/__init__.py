"""Performance actions: what is being done about a red or worsening indicator (issue 14)."""
