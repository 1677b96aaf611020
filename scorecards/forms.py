from django import forms

from perfsite.text_limits import AMENDMENT_REASON_MAX, COMMENTARY_MAX, too_long_message
from scorecards.models import CommentaryMode


class CommentaryForm(forms.Form):
    mode = forms.ChoiceField(
        label="How should members see it?",
        choices=CommentaryMode.choices,
        widget=forms.RadioSelect,
        initial=CommentaryMode.ADD,
        error_messages={"required": "Select whether the commentary adds to or replaces the generated message"},
    )
    text = forms.CharField(
        label="Commentary",
        help_text="Plain English for members: what lies behind the figure and what is being done. "
        "Do not name a child or a worker.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=COMMENTARY_MAX,
        error_messages={
            "required": "Enter the commentary",
            "max_length": too_long_message("Commentary", COMMENTARY_MAX),
        },
    )

    def clean_text(self):
        text = " ".join(self.cleaned_data["text"].split())
        if not text:
            raise forms.ValidationError("Enter the commentary")
        return text


class AmendmentForm(forms.Form):
    reason = forms.CharField(
        label="Reason for the amendment",
        help_text="Members read this on the scorecard, beside what changed.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=AMENDMENT_REASON_MAX,
        error_messages={
            "required": "Enter the reason for the amendment",
            "max_length": too_long_message("The reason", AMENDMENT_REASON_MAX),
        },
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError("Enter the reason for the amendment")
        return reason
