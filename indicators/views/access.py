"""Who may do what: every role reads; only performance officers change anything."""

from perfsite.access import role_required
from perfsite.roles import Role

READERS = tuple(Role)

read_required = role_required(*READERS)
officer_required = role_required(Role.PERFORMANCE_OFFICER)
