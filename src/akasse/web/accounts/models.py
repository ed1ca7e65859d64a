"""Organisations and users: a user acts for one organisation in one role (the access policy reads both)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from akasse.web.accounts.choices import ROLE_ORGANISATION_KIND, OrganisationKind, Role


class Organisation(models.Model):
    """An a-kasse (code from reference/akasser.toml), a municipality's job centre (3-digit code) or STAR."""

    kind = models.CharField(_("type"), max_length=16, choices=OrganisationKind.choices)
    code = models.CharField(_("kode"), max_length=16, help_text=_("A-kassens kode eller kommunekoden"))
    name = models.CharField(_("navn"), max_length=120)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="organisation_kind_code_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def municipality(self) -> int | None:
        """The municipality code of a job centre; None for an a-kasse or STAR."""
        return int(self.code) if self.kind == OrganisationKind.JOBCENTRE else None

    @classmethod
    def jobcentre_for(cls, municipality: int) -> Organisation:
        """The job centre of a municipality (seeded by migration accounts.0002 for all 98)."""
        return cls.objects.get(kind=OrganisationKind.JOBCENTRE, code=str(municipality))


class User(AbstractUser):
    """A person logging in; `organisation` is None only for administrators."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    role = models.CharField(_("rolle"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")

    def clean(self) -> None:
        """A role belongs to one kind of organisation (a-kasse roles to an a-kasse, etc.)."""
        super().clean()
        expected = ROLE_ORGANISATION_KIND.get(self.role)
        actual = self.organisation.kind if self.organisation else None
        if expected != actual:
            raise ValidationError(
                {
                    "organisation": _("Rollen %(role)s kræver en organisation af typen %(kind)s.")
                    % {"role": self.role, "kind": expected or "-"}
                }
            )
