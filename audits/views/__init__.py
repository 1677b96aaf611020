"""Audit pages. Views stay thin: scope by queryset, then call services."""
