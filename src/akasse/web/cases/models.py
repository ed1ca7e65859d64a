"""Case models: a member of an a-kasse, their unemployment spells, conversations, bookings, CV, Min Plan,
and the append-only case events and audit entries that every service writes.

Members are addressed by an opaque UUID (`Member.pk`), never by CPR. Change state only through services.py;
read only through access.py (the access policy), so that isolation between organisations holds in one place.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from akasse.domain.choices import Education, ExitReason, Group, HeldBy, Mode, Purpose, ReferralReason, Sex
from akasse.domain.cpr import InvalidCpr, parse_cpr
from akasse.domain.plan import Conversation as PlanConversation
from akasse.reference import municipalities
from akasse.rulebooks import available_rulebooks
from akasse.web.cases.choices import AuditAction, BookingStatus, CaseEventKind, SpellStatus, field_choices

#: Jobnet's joblog norm: at least 2 applications a week (DOMAIN.md §3).
DEFAULT_JOBLOG_NORM = 2


def validate_cpr(value: str) -> None:
    try:
        parse_cpr(value)
    except InvalidCpr as error:
        raise ValidationError(str(error), code="invalid_cpr") from None


def validate_municipality(value: int) -> None:
    if value not in municipalities():
        raise ValidationError(
            _("%(value)s er ikke en kommunekode"), code="unknown_municipality", params={"value": value}
        )


def validate_rulebook(value: str) -> None:
    if value not in available_rulebooks():
        raise ValidationError(
            _("Ukendt regelsæt %(value)s"), code="unknown_rulebook", params={"value": value}
        )


def validate_purposes(value: Any) -> None:
    """A non-empty list of distinct conversation purposes (akasse.domain.choices.Purpose values)."""
    known = {p.value for p in Purpose}
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Vælg mindst ét formål"), code="no_purpose")
    unknown = [p for p in value if p not in known]
    if unknown or len(set(value)) != len(value):
        raise ValidationError(
            _("Ukendte eller gentagne formål: %(value)s"), code="bad_purpose", params={"value": value}
        )


class Member(models.Model):
    """A member of an a-kasse; birth date and sex are read from the CPR number."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)  # the only id in URLs
    akasse = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("a-kasse"), on_delete=models.PROTECT, related_name="members"
    )
    cpr = models.CharField(_("CPR-nummer"), max_length=10, validators=[validate_cpr])
    name = models.CharField(_("navn"), max_length=200)
    birth_date = models.DateField(_("fødselsdato"))
    sex = models.CharField(_("køn"), max_length=1, choices=field_choices(Sex))
    education = models.CharField(_("uddannelse"), max_length=16, choices=field_choices(Education))
    municipality = models.PositiveSmallIntegerField(_("bopælskommune"), validators=[validate_municipality])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmer")
        constraints = [
            # Import upserts by (a-kasse, CPR); the worklist's CPR search is an equality on the same pair.
            models.UniqueConstraint(fields=["akasse", "cpr"], name="member_akasse_cpr_unique"),
        ]
        # No index on name: the worklist searches names with ILIKE '%…%', which a B-tree cannot serve; the
        # search runs within an a-kasse's open spells (spell_open_worklist); an index would slow imports.

    def __str__(self) -> str:
        return self.name

    def clean_fields(self, exclude: Any = None) -> None:
        """Accept DDMMYY-SSSS: the number is stored as ten digits."""
        self.cpr = self.cpr.strip().replace("-", "") if self.cpr else self.cpr
        super().clean_fields(exclude)

    def clean(self) -> None:
        """The CPR number must be valid, and birth date and sex agree with it."""
        try:
            cpr = parse_cpr(self.cpr)
        except InvalidCpr as error:
            raise ValidationError({"cpr": str(error)}) from None
        self.cpr, self.birth_date, self.sex = cpr.number, cpr.birth_date, cpr.sex.value

    def current_spell(self) -> Spell | None:
        """The latest spell (by start), or None when the member has none."""
        return self.spells.order_by("-started_on", "-pk").first()


class Spell(models.Model):
    """One notice period and/or unemployment spell, with the trial's visitation, referral and hand-over.

    `next_deadline` and `handover_due_on` are derived from the rulebook by services (contact_plan) and
    stored so that the worklist can sort and filter in the database.
    """

    member = models.ForeignKey(
        Member, verbose_name=_("medlem"), on_delete=models.PROTECT, related_name="spells"
    )
    # The member's a-kasse, copied when the spell is created (a member row never changes a-kasse), so that the
    # worklist reads one table and one index: WHERE akasse = ? AND exit_reason IS NULL ORDER BY next_deadline.
    akasse = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("a-kasse"),
        on_delete=models.PROTECT,
        related_name="spells",
        editable=False,
    )
    notice_date = models.DateField(_("opsagt den"), null=True, blank=True)
    unemployed_from = models.DateField(_("ledig fra"), null=True, blank=True)
    unemployed_to = models.DateField(_("ledig til"), null=True, blank=True)
    started_on = models.DateField(_("start"), help_text=_("opsigelsesdatoen, ellers første ledighedsdag"))
    group = models.CharField(_("gruppe"), max_length=8, choices=field_choices(Group))
    rulebook = models.CharField(_("regelsæt"), max_length=32, validators=[validate_rulebook])
    covered_from = models.DateField(_("omfattet fra"), null=True, blank=True)
    covered_to = models.DateField(_("omfattet til"), null=True, blank=True)
    visited_on = models.DateField(_("visiteret den"), null=True, blank=True)
    profiling_score = models.FloatField(_("profileringsscore"), null=True, blank=True)
    complex_challenges = models.BooleanField(_("komplekse udfordringer"), default=False)
    joblog_norm = models.PositiveSmallIntegerField(
        _("joblog-norm (ansøgninger pr. uge)"), default=DEFAULT_JOBLOG_NORM
    )
    next_deadline = models.DateField(_("næste frist"), null=True, blank=True)
    handover_due_on = models.DateField(_("overdrages den"), null=True, blank=True)
    exit_reason = models.CharField(
        _("afgangsårsag"), max_length=16, choices=field_choices(ExitReason), null=True, blank=True
    )
    referral_reason = models.CharField(
        _("visitationsårsag"), max_length=24, choices=field_choices(ReferralReason), null=True, blank=True
    )
    suggested_referral_reason = models.CharField(
        _("reglernes forslag"), max_length=24, choices=field_choices(ReferralReason), null=True, blank=True
    )
    referral_note = models.TextField(_("notat til visitation"), blank=True)
    referral_override_reason = models.TextField(_("begrundelse for afvigelse fra forslaget"), blank=True)
    referred_on = models.DateField(_("visiteret ud den"), null=True, blank=True)
    handed_over_on = models.DateField(_("overdraget den"), null=True, blank=True)
    jobcentre = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("jobcenter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_spells",
        help_text=_("jobcentret der har modtaget medlemmet"),
    )
    # One timestamp per status change (Dispatch style).
    created_at = models.DateTimeField(auto_now_add=True)
    visited_at = models.DateTimeField(null=True, blank=True)
    referred_at = models.DateTimeField(null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ledighedsforløb")
        verbose_name_plural = _("ledighedsforløb")
        constraints = [
            # Import upserts a member's spell by its start.
            models.UniqueConstraint(fields=["member", "started_on"], name="spell_member_start_unique"),
            models.CheckConstraint(
                condition=models.Q(unemployed_from__isnull=True)
                | models.Q(notice_date__isnull=True)
                | models.Q(notice_date__lte=models.F("unemployed_from")),
                name="spell_notice_before_unemployment",
            ),
        ]
        indexes = [
            # Worklist: an a-kasse's open spells ORDER BY next_deadline, id (a page is an index range scan).
            models.Index(
                fields=["akasse", "next_deadline", "id"],
                name="spell_open_worklist",
                condition=models.Q(exit_reason__isnull=True),
            ),
            # Hand-over list: an a-kasse's open spells WHERE handover_due_on <= today.
            models.Index(
                fields=["akasse", "handover_due_on"],
                name="spell_open_handover",
                condition=models.Q(exit_reason__isnull=True),
            ),
            # Job centre's members: spells WHERE jobcentre = ? (referred or handed over).
            models.Index(fields=["jobcentre", "member"], name="spell_jobcentre_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member} ({self.started_on:%d-%m-%Y})"

    def status(self, today: dt.date) -> SpellStatus:
        """The spell's state on `today` (spell_status)."""
        return spell_status(self, today)

    @property
    def is_open(self) -> bool:
        """Still in the a-kasse's contact process (no exit yet)."""
        return self.exit_reason is None


class SpellDates(Protocol):
    """What a spell's status is read from: a Spell, or a row of its columns (the worklist's)."""

    handed_over_at: dt.datetime | None
    referred_at: dt.datetime | None
    exit_reason: str | None
    unemployed_from: dt.date | None


def spell_status(spell: SpellDates, today: dt.date) -> SpellStatus:
    """The spell's state on `today`: handed over, referred, ended, in the notice period or in contact."""
    if spell.handed_over_at is not None:
        return SpellStatus.HANDED_OVER
    if spell.referred_at is not None:
        return SpellStatus.REFERRED
    if spell.exit_reason is not None:
        return SpellStatus.ENDED
    if spell.unemployed_from is None or today < spell.unemployed_from:
        return SpellStatus.NOTICE
    return SpellStatus.CONTACT


class Conversation(models.Model):
    """A conversation held; one conversation may serve several purposes. `version` guards concurrent edits."""

    spell = models.ForeignKey(
        Spell, verbose_name=_("forløb"), on_delete=models.PROTECT, related_name="conversations"
    )
    date = models.DateField(_("dato"))
    mode = models.CharField(_("form"), max_length=16, choices=field_choices(Mode))
    purposes = models.JSONField(_("formål"), validators=[validate_purposes])  # list of Purpose values
    held_by = models.CharField(_("afholdt af"), max_length=16, choices=field_choices(HeldBy))
    jobcentre_present = models.BooleanField(_("jobcenter deltog"), default=False)
    jobs_presented = models.PositiveSmallIntegerField(_("konkrete job præsenteret"), default=0)
    note = models.TextField(_("notat"), blank=True)
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("samtale")
        verbose_name_plural = _("samtaler")
        ordering = ["date", "pk"]
        indexes = [
            # Member page and plan: conversations WHERE spell = ? ORDER BY date.
            models.Index(fields=["spell", "date"], name="conversation_spell_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y}: {', '.join(self.purposes)}"

    def as_plan_conversation(self) -> PlanConversation:
        """The conversation as the rule interpreter reads it."""
        return PlanConversation(self.date, frozenset(Purpose(p) for p in self.purposes), Mode(self.mode))


class JointBooking(models.Model):
    """A joint conversation (fællessamtale) booked with the member's job centre, which sees it in its list."""

    spell = models.ForeignKey(
        Spell, verbose_name=_("forløb"), on_delete=models.PROTECT, related_name="joint_bookings"
    )
    jobcentre = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("jobcenter"),
        on_delete=models.PROTECT,
        related_name="joint_bookings",
    )
    starts_at = models.DateTimeField(_("tidspunkt"))
    status = models.CharField(
        _("status"), max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    booked_at = models.DateTimeField(auto_now_add=True)
    held_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("booket fællessamtale")
        verbose_name_plural = _("bookede fællessamtaler")
        ordering = ["starts_at"]
        indexes = [
            # Job centre's bookings, access: WHERE jobcentre = ? AND status <> cancelled ORDER BY starts_at.
            models.Index(fields=["jobcentre", "status", "starts_at"], name="booking_jobcentre_status"),
        ]


class JobnetCv(models.Model):
    """The member's Jobnet CV as the a-kasse checked it (DOMAIN.md §3: present, approved, searchable)."""

    member = models.OneToOneField(Member, on_delete=models.PROTECT, related_name="cv")
    present = models.BooleanField(_("CV oprettet"), default=False)
    approved = models.BooleanField(_("CV godkendt"), default=False)
    searchable = models.BooleanField(_("CV søgbart"), default=False)
    updated_on = models.DateField(_("CV opdateret i Jobnet"), null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("Jobnet-CV")
        verbose_name_plural = _("Jobnet-CV'er")


class MinPlan(models.Model):
    """Min Plan: two job goals and how the member will search; each change also appends a MinPlanVersion."""

    member = models.OneToOneField(Member, on_delete=models.PROTECT, related_name="min_plan")
    job_goal_1 = models.CharField(_("jobmål 1"), max_length=200)
    job_goal_2 = models.CharField(_("jobmål 2"), max_length=200)
    search_plan = models.TextField(_("plan for jobsøgning"))
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("Min Plan")
        verbose_name_plural = _("Min Plan")


class MinPlanVersion(models.Model):
    """One saved version of a member's Min Plan (its history)."""

    min_plan = models.ForeignKey(MinPlan, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    job_goal_1 = models.CharField(max_length=200)
    job_goal_2 = models.CharField(max_length=200)
    search_plan = models.TextField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["min_plan", "version"], name="min_plan_version_unique")
        ]


class AppendOnlyError(RuntimeError):
    """Case events and audit entries are never changed or deleted."""


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} {self.pk} is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError(f"{type(self).__name__} {self.pk} is append-only")


class CaseEvent(AppendOnly):
    """A domain event on a member's case, written by the service that made it; `actor` None = system."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="events")
    spell = models.ForeignKey(Spell, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=32, choices=CaseEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        indexes = [
            # Member page timeline: events WHERE member = ? ORDER BY occurred_at.
            models.Index(fields=["member", "occurred_at"], name="caseevent_member_time"),
        ]


class AuditEntry(AppendOnly):
    """Who did what to (or read) which member, when, in which role and why. `member` None = a bulk action."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_entries"
    )
    role = models.CharField(max_length=32, blank=True)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_entries"
    )
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    reason = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("logpost")
        verbose_name_plural = _("logposter")
        indexes = [
            # Manager's audit trail: entries WHERE organisation = ? ORDER BY at DESC.
            models.Index(fields=["organisation", "-at"], name="audit_org_time"),
            # Who has read this member: entries WHERE member = ? ORDER BY at DESC.
            models.Index(fields=["member", "-at"], name="audit_member_time"),
        ]
