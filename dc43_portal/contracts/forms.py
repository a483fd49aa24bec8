"""Forms of the steward pages: the document editor and the list and activity filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from dc43_portal import statuses
from dc43_portal.contracts.models import LifecycleEvent
from dc43_portal.contracts.selectors import CONTRACT_SORTS

# The error code of a file above DC43_MAX_DOCUMENT_BYTES, which the editor answers with 413 as a pasted one.
TOO_LARGE = "too_large"


class DocumentForm(forms.Form):
    """A YAML or JSON document, pasted in the editor or uploaded as a file (the file wins)."""

    document = forms.CharField(
        required=False,
        strip=False,  # the author's text as typed, final newline included
        widget=forms.Textarea(attrs={"rows": 28, "spellcheck": "false", "class": "code", "aria-label": "Document"}),
    )
    upload = forms.FileField(required=False, label="or upload a file")
    expected_fingerprint = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload is not None:
            if upload.size > settings.DC43_MAX_DOCUMENT_BYTES:
                raise forms.ValidationError(
                    f"The file is {upload.size:,} bytes; the limit is {settings.DC43_MAX_DOCUMENT_BYTES:,} bytes.",
                    code=TOO_LARGE,
                )
            data["source"] = upload.read()
        elif (data.get("document") or "").strip():
            data["source"] = data["document"]
        else:
            raise forms.ValidationError("Paste a YAML or JSON document, or choose a file to upload.")
        return data


class FilterForm(forms.Form):
    """Filters of a read page: an invalid value is ignored on its own, and the other filters still apply."""

    def valid_values(self, names: tuple[str, ...]) -> dict[str, str]:
        self.is_valid()  # cleaned_data keeps every field that validated, without the ones that did not
        return {k: str(self.cleaned_data.get(k) or "").strip() for k in names}


class ContractFilterForm(FilterForm):
    q = forms.CharField(required=False)
    status = forms.CharField(required=False)
    domain = forms.CharField(required=False)
    owner = forms.CharField(required=False)
    tag = forms.CharField(required=False)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in CONTRACT_SORTS])
    # Data-quality health from pipelines: "block", "warn", or "unhealthy" for either.
    health = forms.ChoiceField(
        required=False, choices=[("", ""), ("block", "block"), ("warn", "warn"), ("unhealthy", "unhealthy")]
    )

    def filters(self) -> dict[str, str]:
        """The cleaned filters; an unknown status, sort or health is ignored rather than refused."""
        values = self.valid_values(("q", "domain", "owner", "tag", "sort", "health"))
        values["status"] = statuses.parse_status(self.data.get("status", "")) or ""
        return values


class ActivityFilterForm(FilterForm):
    actor = forms.CharField(required=False)
    contract = forms.CharField(required=False)
    action = forms.ChoiceField(required=False, choices=[("", "Any action"), *LifecycleEvent.Action.choices])

    def filters(self) -> dict[str, str]:
        return self.valid_values(("actor", "contract", "action"))
