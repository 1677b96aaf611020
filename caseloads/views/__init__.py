"""Caseload pages for team managers (their teams) and performance officers (every team)."""
