"""Password login (Django's ModelBackend) whose signed-in user comes with its organisation in one query.

Every screen reads both on every request (the access policy scopes by the organisation, the header names it),
so the user and the organisation are one query instead of two.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from akasse.web.accounts.models import User


class UserWithOrganisationBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        """The session's user with its organisation, or None when gone or inactive (as ModelBackend)."""
        try:
            user = User.objects.select_related("organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
