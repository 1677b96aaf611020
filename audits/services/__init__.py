"""Writes for the audit programme: small keyword-only functions, each in one transaction."""
