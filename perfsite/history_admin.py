"""The admin's change history (django-simple-history) with addresses it cannot be broken by.

``SimpleHistoryAdmin.history_form_view`` looks the object and the history row up straight from the
address, so ``/admin/.../<id>/history/abc/`` raised ``ValueError`` (a 500). An id or history id that
is not a valid key is a page that does not exist: 404.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        try:
            self.model._meta.pk.to_python(object_id)
            history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
            history.model._meta.pk.to_python(version_id)
        except (ValidationError, ValueError, TypeError):
            raise Http404("No such version.") from None
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)
