"""Writes: small keyword-only functions, each in one transaction."""
