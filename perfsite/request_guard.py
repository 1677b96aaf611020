"""Refuse a request whose address or query string carries a NUL character, before any view sees it.

PostgreSQL cannot store or compare a string with NUL in it and raises ``DataError``; an admin
search or list filter passes the query string straight to the database, so ``?q=%00`` was a 500.
Forms already refuse NUL per field (Django's ``ProhibitNullCharactersValidator``), with a message;
the address and the query string have no field to name, so the answer is 400.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest

NUL = "\x00"


def has_nul(request) -> bool:
    if NUL in request.path:
        return True
    return any(NUL in key or any(NUL in value for value in values) for key, values in request.GET.lists())


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request):
            raise BadRequest("The address contains a character that is not allowed.")
        return self.get_response(request)
