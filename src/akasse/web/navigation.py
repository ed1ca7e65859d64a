"""The main menu per role: which screens each role reaches, in order; the first is the role's home page.

The menu only shows the way; the views refuse a role they are not for (403) and the access policy scopes
the data, so a link missing here never widens or narrows what a user can see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from akasse.web.accounts.choices import Role
from akasse.web.templating import reverse_fixed

WORKLIST = ("cases:worklist", _("Arbejdsliste"))
HANDOVER = ("cases:handover_list", _("Overdragelse"))
AUDIT = ("cases:audit_trail", _("Revisionsspor"))
JOBCENTRE = ("cases:jobcentre_worklist", _("Jobcentrets liste"))
MONITORING = ("cases:monitoring", _("Monitorering"))

MENU: dict[str, tuple[tuple[str, Promise], ...]] = {
    Role.AKASSE_CASEWORKER: (WORKLIST, HANDOVER),
    Role.AKASSE_MANAGER: (WORKLIST, HANDOVER, AUDIT),
    Role.JOBCENTRE_CASEWORKER: (JOBCENTRE,),
    Role.STAR_ANALYST: (MONITORING,),
    Role.ADMIN: (),  # administrators manage accounts, they see no case screens
}


@dataclass(frozen=True)
class NavItem:
    url: str
    label: Promise
    current: bool


def home_url_name(role: str) -> str | None:
    """The URL name of the role's first screen (where login and the brand link lead); None without screens."""
    items = MENU.get(role, ())
    return items[0][0] if items else None


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `nav_items` for the signed-in user's role, marking the current page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else None
    return {
        "nav_items": [
            NavItem(reverse_fixed(name), label, name == current) for name, label in MENU.get(user.role, ())
        ]
    }
