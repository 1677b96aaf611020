"""Imports of the case management system's extract and of historic audit results."""
