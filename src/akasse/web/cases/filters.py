"""Filters of the case screens' templates (registered in akasse.web.templating): domain choices in the active
language, CPR shown DDMMYY-SSSS."""

from __future__ import annotations

from django.utils.translation import gettext as _

from akasse.domain.choices import Choice, Purpose
from akasse.domain.plan import ContactPlan
from akasse.reference import municipalities
from akasse.web.accounts.choices import Role
from akasse.web.cases.choices import label as choice_label


def label(member: Choice | None) -> str:
    """A domain choice (Purpose, RequirementStatus, …) in Danish, or English when that language is active."""
    return choice_label(member) if member is not None else ""


def purpose_labels(values: list[str]) -> str:
    """A conversation's stored purposes as readable labels: "CV-samtale, Jobsamtale"."""
    return ", ".join(choice_label(Purpose(v)) for v in values)


def cpr(number: str) -> str:
    """Ten CPR digits as DDMMYY-SSSS (shown on the page, never put in a URL)."""
    return f"{number[:6]}-{number[6:]}" if len(number) == 10 else number


def met_count(plan: ContactPlan | None) -> str:
    """ "3 af 5" requirements held (met or late), for the hand-over list and receipt."""
    if plan is None:
        return "–"
    held = sum(1 for r in plan.requirements if r.met_by is not None)
    return _("%(held)s af %(total)s") % {"held": held, "total": len(plan.requirements)}


def municipality_name(code: int) -> str:
    """A municipality code as its name (reference/municipalities.csv), the code itself when unknown."""
    found = municipalities().get(code)
    return found.name if found else str(code)


def role_label(value: str) -> str:
    """A stored role value ("akasse_caseworker") as its label in the active language; blank for the system."""
    return str(Role(value).label) if value in Role.values else value
