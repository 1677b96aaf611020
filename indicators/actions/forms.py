"""Forms for performance actions (GOV.UK through crispy-forms); the services validate again."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import get_user_model

from indicators.action_models import ACTION_LIFECYCLE, TRANSITION_LABELS
from indicators.models import Indicator
from indicators.quarters import Quarter, QuarterError
from perfsite.widgets import GovukDateInput


def owner_queryset():
    """People who can sign in with a role: anyone may own an action, officers or not."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__isnull=False)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class ActionForm(forms.Form):
    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.active().order_by("code"), label="Indicator", empty_label="Choose an indicator"
    )
    quarter = forms.CharField(
        label="Quarter",
        max_length=10,
        help_text="The quarter whose performance it answers, like 2016-17-q4.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    description = forms.CharField(label="What will be done", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    owner_service = forms.CharField(
        label="Owning service",
        max_length=120,
        required=False,
        help_text="Members see this, never a person's name. For example: First Contact Service.",
    )
    owner = OwnerField(
        queryset=None,
        required=False,
        label="Owner (a person)",
        empty_label="Nobody in particular",
        help_text="They are reminded each week while the action is overdue.",
    )
    due_on = forms.DateField(label="Due date", widget=GovukDateInput, help_text="For example 30 6 2017")

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_queryset()
        self.fields["indicator"].error_messages["required"] = "Choose the indicator the action is about"
        self.fields["due_on"].error_messages["required"] = "Enter the due date"
        self.fields["description"].error_messages["required"] = "Enter what will be done"
        if editing:
            # An action stays with its indicator and quarter; a new quarter's work is a new action.
            del self.fields["indicator"]
            del self.fields["quarter"]

    def clean_quarter(self):
        try:
            return Quarter.parse(self.cleaned_data["quarter"].strip()).slug
        except QuarterError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        if not data.get("owner") and not (data.get("owner_service") or "").strip():
            self.add_error("owner_service", "Name the owning service, choose an owner, or both")
        return data


class MoveForm(forms.Form):
    transition = forms.ChoiceField(label="What has happened?", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Why is it being dropped?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed only when you drop it.",
    )

    def __init__(self, *args, status: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = [
            (name, TRANSITION_LABELS[name])
            for name in ACTION_LIFECYCLE.transitions
            if ACTION_LIFECYCLE.can(name, status)
        ]
        self.fields["transition"].error_messages["required"] = "Choose what has happened to the action"

    def clean(self):
        data = super().clean()
        if data.get("transition") == "drop" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter why the action is being dropped")
        return data


class NoteForm(forms.Form):
    written_on = forms.DateField(label="Date", widget=GovukDateInput, initial=datetime.date.today)
    text = forms.CharField(label="Progress", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = "Enter the progress made"
        self.fields["written_on"].error_messages["required"] = "Enter the date of the note"
