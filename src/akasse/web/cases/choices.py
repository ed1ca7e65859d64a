"""Choices of the case app: the domain's choices as Django field choices, and the web app's own kinds.

Domain choices (Purpose, Mode, Group, …) stay defined once in akasse.domain.choices; `field_choices` turns one
into Django `choices` whose labels follow the active language (Danish or English).
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from akasse.domain.choices import Choice


def label(member: Choice) -> str:
    """The choice's label in the active language (Danish unless English is active)."""
    return member.label_en if (get_language() or "da").startswith("en") else member.label_da


_lazy_label = lazy(label, str)


def field_choices(kind: type[Choice]) -> list[tuple[str, str]]:
    """Django `choices` for a domain choice class, labels translated lazily."""
    return [(member.value, _lazy_label(member)) for member in kind]


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booket")
    HELD = "held", _("Afholdt")
    CANCELLED = "cancelled", _("Aflyst")


class CaseEventKind(models.TextChoices):
    """Domain events on a case (append-only CaseEvent rows)."""

    MEMBER_IMPORTED = "member_imported", _("Medlem indlæst")
    CONVERSATION_RECORDED = "conversation_recorded", _("Samtale registreret")
    CONVERSATION_UPDATED = "conversation_updated", _("Samtale rettet")
    JOINT_BOOKED = "joint_booked", _("Fællessamtale booket")
    JOINT_CANCELLED = "joint_cancelled", _("Fællessamtale aflyst")
    REFERRED = "referred", _("Visiteret til jobcenter")
    HANDED_OVER = "handed_over", _("Overdraget til jobcenter")
    SPELL_ENDED = "spell_ended", _("Forløb afsluttet")
    CV_UPDATED = "cv_updated", _("CV-status ændret")
    MIN_PLAN_UPDATED = "min_plan_updated", _("Min Plan ændret")
    JOBLOG_NORM_UPDATED = "joblog_norm_updated", _("Joblog-norm ændret")


class AuditAction(models.TextChoices):
    VIEW = "view", _("Læst")
    CHANGE = "change", _("Ændret")
    IMPORT = "import", _("Indlæst")
    EXPORT = "export", _("Eksporteret")


class SpellStatus(models.TextChoices):
    """Where a spell is in the contact process (derived by Spell.status, never stored)."""

    NOTICE = "notice", _("I opsigelsesperioden")
    CONTACT = "contact", _("I kontaktforløb")
    REFERRED = "referred", _("Visiteret til jobcenter")
    HANDED_OVER = "handed_over", _("Overdraget til jobcenter")
    ENDED = "ended", _("Afsluttet")
