"""The case screens. Each view parses input, calls one service (services.py) or read model (repository.py)
and renders; who may see what is decided by the access policy (access.py) alone, so a view never filters data
itself. An object of another organisation answers 404, a screen the role is not for answers 403.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from markupsafe import Markup

from akasse.domain.choices import ReferralReason
from akasse.web.accounts.choices import Role
from akasse.web.cases import access, clock, repository, services
from akasse.web.cases.access import Action
from akasse.web.cases.choices import BookingStatus, SpellStatus, label
from akasse.web.cases.filters import cpr
from akasse.web.cases.forms import (
    ConversationForm,
    CvForm,
    EditConversationForm,
    HandoverForm,
    JoblogNormForm,
    JointBookingForm,
    MinPlanForm,
    ReferralForm,
    SearchForm,
)
from akasse.web.cases.models import Member, spell_status
from akasse.web.navigation import home_url_name
from akasse.web.paging import PAGE_SIZE, ListPage, list_page
from akasse.web.templating import date

SEARCH_SESSION_KEY = "worklist_search"  # the search term lives in the session, never in a URL
AKASSE_ROLES = frozenset({Role.AKASSE_CASEWORKER, Role.AKASSE_MANAGER})
JOBCENTRE_ROLES = frozenset({Role.JOBCENTRE_CASEWORKER})

View = Callable[..., HttpResponse]


def for_roles(roles: frozenset[str]) -> Callable[[View], View]:
    """A screen made for these roles: others get 403 (their data is scoped by access.py regardless)."""

    def decorate(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.role not in roles:  # type: ignore[union-attr]
                raise PermissionDenied("screen not for this role")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def needs(action: Action) -> Callable[[View], View]:
    """The role must be allowed `action` (access.require → 403) before the view looks anything up."""

    def decorate(view: View) -> View:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            access.require(request.user, action)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def _page(request: HttpRequest, queryset: QuerySet[Any]) -> ListPage:
    return list_page(queryset, request.GET.get("side"))


def _posted(request: HttpRequest) -> Any:
    """The POSTed data (even when empty, so that an empty submit is validated), or None on GET."""
    return request.POST if request.method == "POST" else None


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _apply_service_error(form: Form, error: services.ServiceError) -> None:
    """Show a service's refusal next to the field it names (or above the form)."""
    form.add_error(error.field if error.field in form.fields else None, str(error))


# --- home and worklists ------------------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role starts on its own first screen; a role without screens (administrator) gets a short note."""
    name = home_url_name(request.user.role)  # type: ignore[union-attr]
    if name is None:
        return render(request, "cases/no_screens.html")
    return redirect(name)


@for_roles(AKASSE_ROLES)
@require_http_methods(["GET", "POST"])
def worklist(request: HttpRequest) -> HttpResponse:
    """Own a-kasse's members in the contact process, next deadline first; the search is POSTed and kept."""
    if request.method == "POST":
        search = SearchForm(request.POST)
        if search.is_valid():
            request.session[SEARCH_SESSION_KEY] = search.cleaned_data["q"].strip()
            return redirect(f"{reverse('cases:worklist')}?{_filter_query(request.POST.get('vis'))}")
    else:
        search = SearchForm(initial={"q": request.session.get(SEARCH_SESSION_KEY, "")})
    chosen = request.GET.get("vis") or None
    if chosen not in repository.WorklistView.values:
        chosen = None
    today = clock.today()
    spells = repository.worklist_rows(
        request.user, today=today, view=chosen, search=request.session.get(SEARCH_SESSION_KEY, "")
    )
    page = _page(request, spells)
    return render(
        request,
        "cases/worklist.html",
        {
            "page": page,
            "rows": _worklist_rows(page, today),
            "search": search,
            "searching": bool(request.session.get(SEARCH_SESSION_KEY)),
            "views": repository.WorklistView.choices,
            "chosen": chosen,
            "today": today,
        },
    )


@dataclass(frozen=True, slots=True)
class WorklistRow:
    """A worklist line as shown: link, CPR, status and dates worked out in Python, where a page's 50 rows cost
    a fraction of what the same tags and filters cost in the template's loop."""

    url: str
    name: str
    cpr: str
    status: str
    deadline: str  # dd-mm-åååå, "" without a deadline
    urgency: str  # "overdue" (before today), "due" (by Sunday) or ""
    unemployed_from: str
    handover_due_on: str


def _worklist_rows(spells: Iterable[Any], today: dt.date) -> list[WorklistRow]:
    """The page's rows (repository.worklist_rows) as shown; status labels are looked up once a page, dates
    through the templates' remembering `date` filter."""
    week_end = today + dt.timedelta(days=6 - today.weekday())
    placeholder = str(uuid.UUID(int=0))
    member_url = reverse("cases:member", kwargs={"member_id": placeholder})  # reversed once, not per row
    status_labels = {status: str(status.label) for status in SpellStatus}
    rows = []
    for spell in spells:
        deadline = spell.next_deadline
        urgency = ""
        if deadline is not None:
            urgency = "overdue" if deadline < today else "due" if deadline <= week_end else ""
        rows.append(
            WorklistRow(
                url=member_url.replace(placeholder, str(spell.member_id)),
                name=spell.member__name,
                cpr=cpr(spell.member__cpr),
                status=status_labels[spell_status(spell, today)],
                deadline=date(deadline),
                urgency=urgency,
                unemployed_from=date(spell.unemployed_from),
                handover_due_on=date(spell.handover_due_on),
            )
        )
    return rows


def _filter_query(view: str | None) -> str:
    return f"vis={view}" if view in repository.WorklistView.values else ""


@for_roles(JOBCENTRE_ROLES)
def jobcentre_worklist(request: HttpRequest) -> HttpResponse:
    """The job centre's list: joint conversations booked with it, members referred or handed over to it."""
    bookings = (
        access.bookings_for(request.user)
        .filter(status=BookingStatus.BOOKED)
        .select_related("spell__member", "spell__member__akasse")
        .order_by("starts_at", "pk")
    )
    return render(
        request,
        "cases/jobcentre_worklist.html",
        {
            "bookings": bookings[:PAGE_SIZE],
            "page": _page(request, repository.jobcentre_spells(request.user)),
            "today": clock.today(),
        },
    )


# --- the member page ---------------------------------------------------------------------------------------


@needs(Action.VIEW_MEMBER)
def member_page(request: HttpRequest, member_id: Any) -> HttpResponse:
    """Timeline, contact plan, CV, Min Plan, joblog norm and conversations; every view is audited."""
    member, spell = services.view_member(actor=request.user, member_id=member_id, reason=_("medlemsside"))
    today = clock.today()
    overview = repository.spell_overview(member, spell, today=today)
    return render(request, "cases/member.html", _member_context(request, overview, today))


def _member_context(
    request: HttpRequest,
    overview: repository.MemberOverview,
    today: dt.date,
    *,
    conversation_form: ConversationForm | None = None,
    htmx: bool = False,
) -> dict[str, Any]:
    """What the member page and its HTMX partials render: the overview, the record form (blank unless a
    rejected one is given), what the role may do."""
    if conversation_form is None:
        conversation_form = _blank_conversation_form(today)
        conversation_fields = _blank_conversation_fields(today, get_language())
    else:
        conversation_fields = _conversation_fields(conversation_form)
    spell = overview.spell
    is_open = spell is not None and spell.is_open
    user = request.user
    return {
        "o": overview,
        "member": overview.member,
        "spell": spell,
        "today": today,
        "spell_status": spell.status(today) if spell else None,
        "may_record": is_open and access.can(user, Action.RECORD_CONVERSATION),
        "may_book": is_open and access.can(user, Action.BOOK_JOINT),
        "may_refer": is_open and access.can(user, Action.REFER),
        "may_edit_cv": access.can(user, Action.EDIT_CV),
        "may_edit_min_plan": access.can(user, Action.EDIT_MIN_PLAN),
        "may_edit_norm": spell is not None and access.can(user, Action.EDIT_JOBLOG_NORM),
        "conversation_form": conversation_form,
        "conversation_fields": conversation_fields,
        "htmx": htmx,
    }


def _blank_conversation_form(today: dt.date) -> ConversationForm:
    return ConversationForm(today=today, initial={"date": today, "jobs_presented": 0})


def _conversation_fields(form: ConversationForm) -> Markup:
    """The record form's fields (the macro the conversation pages use too)."""
    template = engines["jinja2"].env.get_template("cases/partials/conversation_fields.html")
    return template.module.conversation_fields(form)  # type: ignore[attr-defined, no-any-return]


@lru_cache(maxsize=32)
def _blank_conversation_fields(today: dt.date, language: str | None) -> Markup:
    """The blank record form's fields, the same for every member on a day in a language: rendered once, as
    its widgets cost about 2 ms CPU, a tenth of a member page. `language` is the active one: it keys the
    cache, the labels read it themselves."""
    return _conversation_fields(_blank_conversation_form(today))


@needs(Action.RECORD_CONVERSATION)
@require_http_methods(["GET", "POST"])
def record_conversation(request: HttpRequest, spell_id: int) -> HttpResponse:
    """Record a conversation. From the member page (HTMX) the plan is re-rendered at once with the changes."""
    spell = access.get_spell_or_404(request.user, spell_id)
    today = clock.today()
    form = ConversationForm(_posted(request), today=today, initial={"date": today, "jobs_presented": 0})
    if request.method == "POST" and form.is_valid():
        try:
            recorded = services.record_conversation(
                actor=request.user,
                spell=spell,
                date=form.cleaned_data["date"],
                mode=form.cleaned_data["mode"],
                purposes=form.purposes_chosen(),
                jobcentre_present=form.cleaned_data["jobcentre_present"],
                jobs_presented=form.cleaned_data["jobs_presented"],
                note=form.cleaned_data["note"],
            )
        except services.ServiceError as error:
            _apply_service_error(form, error)
        else:
            _announce_plan_change(request, recorded.change)
            if _is_htmx(request):
                return _casework_partial(request, spell.member, today)
            return redirect("cases:member", member_id=spell.member_id)
    if _is_htmx(request):
        return _casework_partial(request, spell.member, today, conversation_form=form)
    return render(
        request, "cases/conversation_form.html", {"form": form, "spell": spell, "member": spell.member}
    )


def _casework_partial(
    request: HttpRequest, member: Member, today: dt.date, conversation_form: ConversationForm | None = None
) -> HttpResponse:
    """The member page's plan, conversations and recording form, swapped in place by HTMX."""
    overview = repository.member_overview(request.user, member, today=today)
    context = _member_context(request, overview, today, conversation_form=conversation_form, htmx=True)
    return render(request, "cases/partials/casework.html", context)


def _announce_plan_change(request: HttpRequest, change: services.PlanChange) -> None:
    """One message per requirement that became met, a warning per one held late, else a plain receipt."""
    late = {(r.purpose, r.index) for r in change.held_late}
    for req in change.newly_met:
        if (req.purpose, req.index) in late:
            messages.warning(
                request,
                _("%(purpose)s nr. %(index)s er afholdt for sent: fristen var %(deadline)s.")
                % {
                    "purpose": label(req.purpose),
                    "index": req.index,
                    "deadline": date_format(req.deadline),
                },
            )
        else:
            messages.success(
                request,
                _("%(purpose)s nr. %(index)s er nu opfyldt (frist %(deadline)s).")
                % {
                    "purpose": label(req.purpose),
                    "index": req.index,
                    "deadline": date_format(req.deadline),
                },
            )
    if not change.newly_met:
        messages.info(request, _("Samtalen er registreret. Den opfyldte ingen nye krav i kontaktplanen."))


@needs(Action.RECORD_CONVERSATION)
@require_http_methods(["GET", "POST"])
def edit_conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """Edit with optimistic locking: a stale edit is refused, both versions shown and the input kept."""
    conversation = access.get_conversation_or_404(request.user, conversation_id)
    today = clock.today()
    stored = {
        "date": conversation.date,
        "mode": conversation.mode,
        "purposes": conversation.purposes,
        "jobcentre_present": conversation.jobcentre_present,
        "jobs_presented": conversation.jobs_presented,
        "note": conversation.note,
        "version": conversation.version,
    }
    form = EditConversationForm(_posted(request), today=today, initial=stored)
    stale = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_conversation(
                actor=request.user,
                conversation=conversation,
                expected_version=data["version"],
                date=data["date"],
                mode=data["mode"],
                purposes=form.purposes_chosen(),
                jobcentre_present=data["jobcentre_present"],
                jobs_presented=data["jobs_presented"],
                note=data["note"],
            )
        except services.StaleVersion as error:
            stale = error.current
            form = _resubmittable(form, stale.version)
            form.add_error(
                None,
                _(
                    "Samtalen er blevet ændret af en anden, siden du åbnede den. Intet er gemt. "
                    "Sammenlign de to "
                    "versioner herunder; gem igen for at overskrive med din version."
                ),
            )
        except services.ServiceError as error:
            _apply_service_error(form, error)
        else:
            messages.success(request, _("Samtalen er rettet."))
            return redirect("cases:member", member_id=conversation.spell.member_id)
    return render(
        request,
        "cases/conversation_edit.html",
        {
            "form": form,
            "conversation": conversation,
            "member": conversation.spell.member,
            "stale": stale,
        },
    )


def _resubmittable(form: EditConversationForm, current_version: int) -> EditConversationForm:
    """The same input, now based on the stored version, so saving again deliberately overwrites it."""
    data = form.data.copy()
    data["version"] = str(current_version)
    return EditConversationForm(data, today=form.today)


@needs(Action.BOOK_JOINT)
@require_http_methods(["GET", "POST"])
def book_joint(request: HttpRequest, spell_id: int) -> HttpResponse:
    """Book a joint conversation with the member's job centre (which then sees it in its own list)."""
    spell = access.get_spell_or_404(request.user, spell_id)
    form = JointBookingForm(_posted(request), today=clock.today())
    if request.method == "POST" and form.is_valid():
        starts_at = timezone.make_aware(
            dt.datetime.combine(form.cleaned_data["date"], form.cleaned_data["time"])
        )
        try:
            booking = services.book_joint_conversation(actor=request.user, spell=spell, starts_at=starts_at)
        except services.ServiceError as error:
            _apply_service_error(form, error)
        else:
            messages.success(
                request,
                _("Fællessamtalen er booket med %(jobcentre)s %(when)s.")
                % {
                    "jobcentre": booking.jobcentre.name,
                    "when": date_format(timezone.localtime(booking.starts_at), "DATETIME_FORMAT"),
                },
            )
            return redirect("cases:member", member_id=spell.member_id)
    return render(request, "cases/book_joint.html", {"form": form, "spell": spell, "member": spell.member})


@needs(Action.REFER)
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, spell_id: int) -> HttpResponse:
    """Visitation out: the rules' suggestion is preselected; choosing otherwise needs a written reason."""
    spell = access.get_spell_or_404(request.user, spell_id)
    suggestion = services.suggested_referral(spell)
    form = ReferralForm(_posted(request), suggestion=suggestion)
    if request.method == "POST" and form.is_valid():
        try:
            services.refer_to_job_centre(
                actor=request.user,
                spell=spell,
                reason=form.chosen_reason(),
                note=form.cleaned_data["note"],
                override_reason=form.cleaned_data["override_reason"],
            )
        except services.ServiceError as error:
            _apply_service_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s er visiteret til jobcentret: %(reason)s.")
                % {
                    "name": spell.member.name,
                    "reason": label(form.chosen_reason()),
                },
            )
            return redirect("cases:member", member_id=spell.member_id)
    return render(
        request,
        "cases/refer.html",
        {
            "form": form,
            "spell": spell,
            "member": spell.member,
            "suggestion": suggestion,
            "reasons": list(ReferralReason),
        },
    )


@needs(Action.EDIT_JOBLOG_NORM)
def joblog_norm(request: HttpRequest, spell_id: int) -> HttpResponse:
    """Change the spell's joblog norm (applications a week); POST only, but another organisation's spell is
    404 whatever the method."""
    spell = access.get_spell_or_404(request.user, spell_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = JoblogNormForm(request.POST)
    if form.is_valid():
        try:
            services.update_joblog_norm(actor=request.user, spell=spell, norm=form.cleaned_data["norm"])
        except services.ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Joblog-normen er nu %(norm)s ansøgninger om ugen.") % form.cleaned_data
            )
    else:
        messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("cases:member", member_id=spell.member_id)


@needs(Action.EDIT_CV)
@require_http_methods(["GET", "POST"])
def edit_cv(request: HttpRequest, member_id: Any) -> HttpResponse:
    """The a-kasse's check of the Jobnet CV: present, approved, searchable, last updated."""
    member = access.get_member_or_404(request.user, member_id)
    cv = getattr(member, "cv", None)
    initial = (
        {
            "present": cv.present,
            "approved": cv.approved,
            "searchable": cv.searchable,
            "updated_on": cv.updated_on,
        }
        if cv
        else {}
    )
    form = CvForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_cv_status(actor=request.user, member=member, **form.cleaned_data)
        except services.ServiceError as error:
            _apply_service_error(form, error)
        else:
            messages.success(request, _("Jobnet-CV'ets status er gemt."))
            return redirect("cases:member", member_id=member.pk)
    return render(request, "cases/cv_form.html", {"form": form, "member": member})


@needs(Action.EDIT_MIN_PLAN)
@require_http_methods(["GET", "POST"])
def edit_min_plan(request: HttpRequest, member_id: Any) -> HttpResponse:
    """Min Plan: two job goals and the search plan; every save is kept as a version."""
    member = access.get_member_or_404(request.user, member_id)
    plan = getattr(member, "min_plan", None)
    initial = (
        {"job_goal_1": plan.job_goal_1, "job_goal_2": plan.job_goal_2, "search_plan": plan.search_plan}
        if plan
        else {}
    )
    form = MinPlanForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_min_plan(actor=request.user, member=member, **form.cleaned_data)
        except services.ServiceError as error:
            _apply_service_error(form, error)
        else:
            messages.success(request, _("Min Plan er gemt som en ny version."))
            return redirect("cases:member", member_id=member.pk)
    return render(request, "cases/min_plan_form.html", {"form": form, "member": member})


# --- hand-over ---------------------------------------------------------------------------------------------


@needs(Action.HAND_OVER)
@require_http_methods(["GET", "POST"])
def handover_list(request: HttpRequest) -> HttpResponse:
    """Members due for hand-over (3 months after unemployment began) and the bulk action handing them over."""
    today = clock.today()
    due = (
        repository.spells_due_for_handover(request.user, as_of=today)
        .select_related("member__cv", "member__min_plan")
        .prefetch_related("conversations")
    )
    page = _page(request, due)
    rows = [
        (spell, services.contact_plan_for(spell, as_of=today, conversations=spell.conversations.all()))
        for spell in page
    ]
    form = HandoverForm(_posted(request), offered=[(s.pk, s.member.name) for s, _plan in rows])
    if request.method == "POST" and form.is_valid():
        chosen = [s for s, _plan in rows if s.pk in form.cleaned_data["spells"]]
        try:
            packages = services.hand_over(actor=request.user, spells=chosen, on=today)
        except services.ServiceError as error:
            _apply_service_error(form, error)
        else:
            messages.success(
                request, _("%(count)s medlemmer er overdraget til jobcentret.") % {"count": len(packages)}
            )
            return render(request, "cases/handover_done.html", {"packages": packages, "today": today})
    return render(
        request,
        "cases/handover_list.html",
        {
            "page": page,
            "rows": rows,
            "form": form,
            "today": today,
            "checked": set(request.POST.getlist("spells")),
        },
    )


# --- manager and STAR --------------------------------------------------------------------------------------


@needs(Action.VIEW_AUDIT)
def audit_trail(request: HttpRequest) -> HttpResponse:
    """The manager's audit trail of their own organisation: who read or changed which member, when and why."""
    entries = access.audit_entries_for(request.user).select_related("actor", "member")
    return render(request, "cases/audit_trail.html", {"page": _page(request, entries)})


@needs(Action.VIEW_MONITORING)
def monitoring(request: HttpRequest) -> HttpResponse:
    """STAR's page: no personal data, only the way to the published monitoring (disclosure-controlled)."""
    return render(request, "cases/monitoring.html", {"monitoring_url": settings.AKASSE_MONITORING_URL})
