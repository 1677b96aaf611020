"""The email backend of a production without SMTP: nothing is sent, and nothing is printed."""

from __future__ import annotations

import logging

from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)


class UnsentEmailBackend(BaseEmailBackend):
    """Drops every email and logs how many, never their text.

    The console backend would print reminders and password-reset links, which sign a person in,
    to the web log. Password reset is switched off in this case (settings.PERFSITE_PASSWORD_RESET_ENABLED)
    and the deploy check perfsite.W001 says so.
    """

    def send_messages(self, email_messages):
        count = len(list(email_messages))
        if count:
            logger.warning("%d email(s) not sent: EMAIL_HOST is not set.", count)
        return 0
