"""Forms of the admin: a Draft's document as YAML, the portal-only fields, and the comment of an action.

None of them saves a model or writes in ``clean()``: the admin hands their data to a service, which
writes the store, the mirror and the audit together.
"""

from __future__ import annotations

from typing import Any

from django import forms

from dc43_portal import odcs
from dc43_portal.contracts import services
from dc43_portal.contracts.handler import default_store
from dc43_portal.contracts.models import Contract, ContractVersion
from dc43_portal.contracts.services import clean_labels
from dc43_portal.errors import InvalidContract, PortalError, StaleWrite, format_error


class VersionDocumentForm(forms.ModelForm):
    """A Draft's ODCS as YAML. ``clean()`` checks it as ``contract_publish`` would, writing nothing.

    A refusal (invalid document, stale fingerprint, immutable version) becomes a form error with the text
    kept; the admin's ``save_model`` then writes through ``contract_publish``, which checks again under the
    contract's lock.
    """

    document = forms.CharField(
        widget=forms.Textarea(
            attrs={"rows": 32, "cols": 110, "spellcheck": "false", "style": "font-family: monospace; width: 95%"}
        ),
        help_text="The whole ODCS document as YAML or JSON. It is saved as a Draft, after validation.",
    )
    expected_fingerprint = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(required=False, max_length=500, help_text="Optional, kept in the audit.")

    class Meta:
        model = ContractVersion
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.checked: services.PublishCheck | None = None
        if not self.is_bound:
            doc = default_store().get_document(self.instance.contract.contract_id, self.instance.version)
            self.initial.update(document=odcs.dump_yaml(doc), expected_fingerprint=odcs.fingerprint(doc))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        row = self.instance
        try:
            doc = services.document_parse(data["document"])
            if doc.get("id") != row.contract.contract_id or doc.get("version") != row.version:
                raise InvalidContract(
                    [("id", f"this page edits {row.contract.contract_id} {row.version}; start a new version instead")]
                )
            self.checked = services.contract_publish_check(
                document=doc, expected_fingerprint=data["expected_fingerprint"]
            )
        except InvalidContract as exc:
            for path, message in exc.errors:
                self.add_error("document", format_error(path, message))
        except StaleWrite as exc:
            self.add_error(None, f"Conflict: {exc}. Your text is kept below; copy it, reload, and apply it again.")
        except PortalError as exc:
            self.add_error(None, str(exc))
        return data


class ContractNotesForm(forms.ModelForm):
    """The portal-only fields of a contract; labels are typed as a comma-separated list."""

    labels = forms.CharField(required=False, help_text="Comma-separated, for example: pii, gold, migrated")

    class Meta:
        model = Contract
        fields = ["steward_note", "labels"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk:
            self.initial["labels"] = ", ".join(self.instance.labels)

    def clean_labels(self) -> list[str]:
        try:
            return clean_labels(self.cleaned_data.get("labels") or "")
        except InvalidContract as exc:
            raise forms.ValidationError([message for _, message in exc.errors]) from exc


class ActionCommentForm(forms.Form):
    """The comment or reason an admin action asks for on its intermediate page."""

    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 80}), max_length=2000)

    def __init__(self, *args: Any, required: bool, label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = required
        self.fields["comment"].label = label if required else f"{label} (optional)"
