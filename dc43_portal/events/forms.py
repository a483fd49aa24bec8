from __future__ import annotations

from django import forms

from dc43_portal.events.cloudevents import ALL_TYPES
from dc43_portal.events.models import NotificationPreference


class WebhookForm(forms.Form):
    url = forms.CharField(max_length=2000, label="Target URL", help_text="http(s); receives signed CloudEvents")
    types = forms.MultipleChoiceField(
        choices=[(t, t) for t in ALL_TYPES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every type",
    )
    contract_id = forms.CharField(max_length=200, required=False, label="Only this contract id")
    domain = forms.CharField(max_length=200, required=False, label="Only this domain")
    description = forms.CharField(max_length=200, required=False)


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["level"]
        widgets = {"level": forms.RadioSelect}
        labels = {"level": "E-mail me"}
