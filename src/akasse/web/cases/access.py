"""THE access policy: which members, spells, conversations, bookings and audit entries a user may see, and
which actions their role allows. Views and services read through these functions only, so that isolation
between organisations is enforced in this one module.

Who sees what:
- a-kasse caseworker / manager: the members of their own a-kasse (managers also its audit trail);
- job-centre caseworker: members referred or handed over to their job centre (Spell.jobcentre is set only by
  referral and hand-over), or invited to a joint conversation with it (a booking that is not cancelled);
- STAR analyst and administrator: no personal data at all (monitoring, resp. accounts only).
An object the user may not see answers Http404, exactly as one that does not exist; an action the role does
not allow on a visible object answers PermissionDenied (403).

Public interface:
    can(user, action) -> bool;  require(user, action) -> None (PermissionDenied)
    members_for(user), spells_for(user), conversations_for(user), bookings_for(user) -> QuerySet
    audit_entries_for(user) -> QuerySet (PermissionDenied without Action.VIEW_AUDIT)
    get_member_or_404(user, member_id), get_spell_or_404(user, spell_id),
    get_member_with_latest_spell_or_404(user, member_id) -> (Member, Spell | None)
    latest_spell(spells) -> Spell | None   (the member page's spell: the last started)
    get_conversation_or_404(user, conversation_id), get_booking_or_404(user, booking_id)
    require_member(user, action, member) -> None: Http404 when not visible, PermissionDenied when not allowed
    require_spell(user, action, spell) -> None: the same for a spell
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

from akasse.web.accounts.choices import OrganisationKind, Role
from akasse.web.cases.choices import BookingStatus
from akasse.web.cases.models import AuditEntry, Conversation, JointBooking, Member, Spell


class Action(StrEnum):
    VIEW_MEMBER = "view_member"
    RECORD_CONVERSATION = "record_conversation"
    BOOK_JOINT = "book_joint"
    REFER = "refer"
    HAND_OVER = "hand_over"
    END_SPELL = "end_spell"
    EDIT_CV = "edit_cv"
    EDIT_MIN_PLAN = "edit_min_plan"
    EDIT_JOBLOG_NORM = "edit_joblog_norm"
    VIEW_AUDIT = "view_audit"
    VIEW_MONITORING = "view_monitoring"
    MANAGE_ACCOUNTS = "manage_accounts"


_AKASSE_CASEWORK = frozenset(
    {
        Action.VIEW_MEMBER,
        Action.RECORD_CONVERSATION,
        Action.BOOK_JOINT,
        Action.REFER,
        Action.HAND_OVER,
        Action.END_SPELL,
        Action.EDIT_CV,
        Action.EDIT_MIN_PLAN,
        Action.EDIT_JOBLOG_NORM,
    }
)
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.AKASSE_CASEWORKER: _AKASSE_CASEWORK,
    Role.AKASSE_MANAGER: _AKASSE_CASEWORK | {Action.VIEW_AUDIT},
    Role.JOBCENTRE_CASEWORKER: frozenset({Action.VIEW_MEMBER, Action.RECORD_CONVERSATION}),
    Role.STAR_ANALYST: frozenset({Action.VIEW_MONITORING}),
    Role.ADMIN: frozenset({Action.MANAGE_ACCOUNTS}),
}


def can(user: Any, action: Action) -> bool:
    """Whether the user's role allows `action` (active, logged-in users only)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return action in ROLE_ACTIONS.get(user.role, frozenset())


def require(user: Any, action: Action) -> None:
    """PermissionDenied unless the user's role allows `action`."""
    if not can(user, action):
        raise PermissionDenied(f"role {getattr(user, 'role', None)!r} may not {action.value}")


def _kind(user: Any) -> str | None:
    """The kind of the user's organisation, or None when the user sees no personal data."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.organisation_id is None:
        return None
    if user.role not in (Role.AKASSE_CASEWORKER, Role.AKASSE_MANAGER, Role.JOBCENTRE_CASEWORKER):
        return None
    return str(user.organisation.kind)


def _jobcentre_spell_ids(jobcentre_id: int) -> QuerySet[Any]:
    """Ids of the spells a job centre received (Spell.jobcentre is set only by referral and hand-over) or was
    invited to a joint conversation in: one UNION of two index scans, used as `id IN (…)`."""
    received = Spell.objects.filter(jobcentre_id=jobcentre_id).order_by().values("pk")
    invited = (
        JointBooking.objects.filter(jobcentre_id=jobcentre_id)
        .exclude(status=BookingStatus.CANCELLED)
        .order_by()
        .values("spell_id")
    )
    return received.union(invited)


def members_for(user: Any) -> QuerySet[Member]:
    """The members the user may see (none for STAR, administrators and anonymous users)."""
    kind = _kind(user)
    if kind == OrganisationKind.AKASSE:
        return Member.objects.filter(akasse_id=user.organisation_id)
    if kind == OrganisationKind.JOBCENTRE:
        spells = Spell.objects.filter(pk__in=_jobcentre_spell_ids(user.organisation_id))
        return Member.objects.filter(pk__in=spells.values("member_id"))
    return Member.objects.none()


def spells_for(user: Any) -> QuerySet[Spell]:
    """The spells the user may see: an a-kasse all its members' spells, a job centre only those it received
    or was invited to a joint conversation in."""
    kind = _kind(user)
    if kind == OrganisationKind.AKASSE:
        return Spell.objects.filter(akasse_id=user.organisation_id)
    if kind == OrganisationKind.JOBCENTRE:
        return Spell.objects.filter(pk__in=_jobcentre_spell_ids(user.organisation_id))
    return Spell.objects.none()


def conversations_for(user: Any) -> QuerySet[Conversation]:
    """Conversations of the spells the user may see."""
    return Conversation.objects.filter(spell__in=spells_for(user))


def bookings_for(user: Any) -> QuerySet[JointBooking]:
    """Joint bookings: an a-kasse those of its members, a job centre those made with it."""
    kind = _kind(user)
    if kind == OrganisationKind.AKASSE:
        return JointBooking.objects.filter(spell__akasse_id=user.organisation_id)
    if kind == OrganisationKind.JOBCENTRE:
        return JointBooking.objects.filter(jobcentre_id=user.organisation_id)
    return JointBooking.objects.none()


def audit_entries_for(user: Any) -> QuerySet[AuditEntry]:
    """The audit trail of the manager's own organisation; PermissionDenied for every other role."""
    require(user, Action.VIEW_AUDIT)
    return AuditEntry.objects.filter(organisation_id=user.organisation_id)


M = TypeVar("M", bound=Model)


def _get_or_404(queryset: QuerySet[M], pk: Any) -> M:
    """The object with `pk` in the scoped queryset; Http404 when absent, invisible or a malformed id."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404("not found") from None


def get_member_or_404(user: Any, member_id: Any) -> Member:
    """The member with its a-kasse, Jobnet CV and Min Plan (one-to-one: joined, not queried apart)."""
    return _get_or_404(members_for(user).select_related("akasse", "cv", "min_plan"), member_id)


def get_member_with_latest_spell_or_404(user: Any, member_id: Any) -> tuple[Member, Spell | None]:
    """The member as get_member_or_404 with the latest spell the user may see of it (None when none), read
    together in one query when there is such a spell (latest_spell): a query costs about 2 ms CPU in Django's
    ORM."""
    try:
        spells = list(
            spells_for(user)
            .filter(member_id=member_id)
            .select_related("member__akasse", "member__cv", "member__min_plan", "jobcentre")
            .order_by()
        )
    except (ValidationError, ValueError, TypeError):
        raise Http404("not found") from None
    latest = latest_spell(spells)
    if latest is not None and _sees_member_of(user, latest):
        return latest.member, latest
    return get_member_or_404(user, member_id), None


def latest_spell(spells: Iterable[Spell]) -> Spell | None:
    """The member page's spell: the last started of a member's spells (then the highest id), None when none.
    Picked here from the few spells rather than by ORDER BY, which Django compiles by hashing each of the
    spell query's ~60 selected columns (about a third of its CPU)."""
    return max(spells, key=lambda spell: (spell.started_on, spell.pk), default=None)


def _sees_member_of(user: Any, spell: Spell) -> bool:
    """Whether the member of a spell the user sees is one it may see (members_for): an a-kasse only its own
    members (a spell copies its member's a-kasse, checked all the same), a job centre the member of every
    spell it sees."""
    kind = _kind(user)
    if kind == OrganisationKind.AKASSE:
        return bool(spell.member.akasse_id == user.organisation_id)
    return kind == OrganisationKind.JOBCENTRE


def get_spell_or_404(user: Any, spell_id: Any) -> Spell:
    return _get_or_404(spells_for(user).select_related("member", "member__akasse", "jobcentre"), spell_id)


def get_conversation_or_404(user: Any, conversation_id: Any) -> Conversation:
    return _get_or_404(conversations_for(user).select_related("spell", "spell__member"), conversation_id)


def get_booking_or_404(user: Any, booking_id: Any) -> JointBooking:
    return _get_or_404(bookings_for(user).select_related("spell", "spell__member", "jobcentre"), booking_id)


def require_member(user: Any, action: Action, member: Member) -> None:
    """Http404 unless the user may see `member`, then PermissionDenied unless the role allows `action`."""
    if not members_for(user).filter(pk=member.pk).exists():
        raise Http404("not found")
    require(user, action)


def require_spell(user: Any, action: Action, spell: Spell) -> None:
    """Http404 unless the user may see `spell`, then PermissionDenied unless the role allows `action`."""
    if not spells_for(user).filter(pk=spell.pk).exists():
        raise Http404("not found")
    require(user, action)
