"""Forms of the case screens: they parse and check what a caseworker typed; services.py does the change.

Dates are typed dd-mm-åååå (ISO is accepted too); every field has a label, and errors are shown next to the
field (templates/includes/forms.html). A rejected form is re-rendered bound, so nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from akasse.domain.choices import Mode, Purpose, ReferralReason
from akasse.web.cases.choices import field_choices

DATE_PLACEHOLDER = _("dd-mm-åååå")
MAX_NOTE = 4000


class DanishDateField(forms.DateField):
    """A date typed as dd-mm-åååå in a plain text box (keyboard-friendly, no browser date picker quirks)."""

    widget = forms.DateInput(
        attrs={"placeholder": DATE_PLACEHOLDER, "inputmode": "numeric", "autocomplete": "off"}
    )
    default_error_messages = {"invalid": _("Skriv datoen som dd-mm-åååå, fx 31-03-2023.")}


class SearchForm(forms.Form):
    """Worklist search by name or CPR number (repository.worklist tells which); sent by POST so that a CPR
    number never enters a URL."""

    q = forms.CharField(
        label=_("Søg efter navn eller CPR-nummer"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class ConversationForm(forms.Form):
    """Record or edit a conversation: one conversation may serve several purposes (DOMAIN.md §2)."""

    date = DanishDateField(label=_("Dato"))
    mode = forms.ChoiceField(label=_("Samtaleform"), choices=field_choices(Mode), widget=forms.RadioSelect)
    purposes = forms.MultipleChoiceField(
        label=_("Formål"),
        choices=field_choices(Purpose),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Vælg alle de formål, samtalen dækker."),
        error_messages={"required": _("Vælg mindst ét formål.")},
    )
    jobcentre_present = forms.BooleanField(label=_("Jobcentret deltog"), required=False)
    jobs_presented = forms.IntegerField(
        label=_("Konkrete jobopslag præsenteret"),
        min_value=0,
        max_value=99,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("Notat"), required=False, max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["date"]
        if day > self.today:
            raise forms.ValidationError(_("En samtale kan ikke registreres med en dato efter i dag."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if Purpose.JOINT.value in data.get("purposes", ()) and not data.get("jobcentre_present"):
            self.add_error(
                "jobcentre_present", _("En fællessamtale holdes med jobcentret: sæt kryds, når det deltog.")
            )
        return data

    def purposes_chosen(self) -> list[Purpose]:
        return [Purpose(p) for p in self.cleaned_data["purposes"]]


class EditConversationForm(ConversationForm):
    """Editing carries the version the caseworker started from (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class JointBookingForm(forms.Form):
    """Book a joint conversation (fællessamtale) with the member's job centre."""

    date = DanishDateField(label=_("Dato"))
    time = forms.TimeField(
        label=_("Klokkeslæt"),
        widget=forms.TimeInput(attrs={"placeholder": "tt:mm", "inputmode": "numeric"}),
        error_messages={"invalid": _("Skriv klokkeslættet som tt:mm, fx 09:30.")},
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["date"]
        if day < self.today:
            raise forms.ValidationError(_("Vælg en dato fra i dag og frem."))
        return day


class ReferralForm(forms.Form):
    """Visitation out to the job centre; departing from the rules' suggestion needs a written reason."""

    reason = forms.ChoiceField(
        label=_("Årsag"), choices=field_choices(ReferralReason), widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Notat til jobcentret"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    override_reason = forms.CharField(
        label=_("Begrundelse for at afvige fra reglernes forslag"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skal udfyldes, når du vælger en anden årsag end reglernes forslag."),
    )

    def __init__(self, *args: Any, suggestion: ReferralReason | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.suggestion = suggestion
        if suggestion is not None and not self.is_bound:
            self.initial.setdefault("reason", suggestion.value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reason = data.get("reason")
        overrides = reason is not None and (self.suggestion is None or reason != self.suggestion.value)
        if overrides and not data.get("override_reason", "").strip():
            self.add_error("override_reason", _("Skriv hvorfor du afviger fra reglernes forslag."))
        return data

    def chosen_reason(self) -> ReferralReason:
        return ReferralReason(self.cleaned_data["reason"])


class HandoverForm(forms.Form):
    """The bulk hand-over: the spells ticked in the list (only ids the access policy offered are accepted)."""

    spells = forms.TypedMultipleChoiceField(
        label=_("Medlemmer der overdrages"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Vælg mindst ét medlem.")},
    )

    def __init__(self, *args: Any, offered: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["spells"].choices = offered


class CvForm(forms.Form):
    """The a-kasse's check of the member's Jobnet CV (DOMAIN.md §3)."""

    present = forms.BooleanField(label=_("CV er oprettet i Jobnet"), required=False)
    approved = forms.BooleanField(label=_("CV er godkendt"), required=False)
    searchable = forms.BooleanField(label=_("CV er søgbart"), required=False)
    updated_on = DanishDateField(label=_("CV senest opdateret"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("approved") or data.get("searchable")) and not data.get("present"):
            self.add_error(
                "present", _("Et CV skal være oprettet, før det kan godkendes eller være søgbart.")
            )
        return data


class MinPlanForm(forms.Form):
    """Min Plan: two job goals and how the member will search (required by law, DOMAIN.md §3)."""

    job_goal_1 = forms.CharField(label=_("Jobmål 1"), max_length=200)
    job_goal_2 = forms.CharField(label=_("Jobmål 2"), max_length=200)
    search_plan = forms.CharField(
        label=_("Plan for jobsøgning"), max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 4})
    )


class JoblogNormForm(forms.Form):
    """The joblog norm: applications a week (DOMAIN.md §3: at least 2 unless set otherwise)."""

    norm = forms.IntegerField(label=_("Ansøgninger pr. uge"), min_value=0, max_value=40)
