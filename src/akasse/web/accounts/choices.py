"""Kinds of organisation and user roles (Danish labels first, English through Django i18n)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    AKASSE = "akasse", _("A-kasse")
    JOBCENTRE = "jobcentre", _("Jobcenter")
    STAR = "star", _("STAR")


class Role(models.TextChoices):
    AKASSE_CASEWORKER = "akasse_caseworker", _("Sagsbehandler i a-kasse")
    AKASSE_MANAGER = "akasse_manager", _("Leder i a-kasse")
    JOBCENTRE_CASEWORKER = "jobcentre_caseworker", _("Sagsbehandler i jobcenter")
    STAR_ANALYST = "star_analyst", _("Analytiker i STAR")
    ADMIN = "admin", _("Administrator")


#: The organisation kind each role belongs to; an administrator belongs to none.
ROLE_ORGANISATION_KIND: dict[str, str | None] = {
    Role.AKASSE_CASEWORKER: OrganisationKind.AKASSE,
    Role.AKASSE_MANAGER: OrganisationKind.AKASSE,
    Role.JOBCENTRE_CASEWORKER: OrganisationKind.JOBCENTRE,
    Role.STAR_ANALYST: OrganisationKind.STAR,
    Role.ADMIN: None,
}
