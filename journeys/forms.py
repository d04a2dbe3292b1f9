from pathlib import Path

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.access import submitting_organisations
from analytics.ingest import FileRejected, file_format
from journeys.actions import MAX_UPLOAD_BYTES
from journeys.models import TOKEN_LIFETIMES

# Tens of thousands of lines: far more local codes than any body has, and small enough to check at once.
MAX_MAPPING_BYTES = 2 * 1024 * 1024


class UploadForm(forms.Form):
    body = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("Upload a file"),
        help_text=_(
            "A CSV (UTF-8), Excel (.xlsx) or Parquet file with a header row, written to the minimum dataset."
        ),
        error_messages={"required": _("Select a file"), "empty": _("The selected file is empty")},
    )
    table = forms.ChoiceField(
        label=_("Which table is in the file?"),
        help_text=_(
            "Leave as it is when the file name starts with the table's name, such as crimes-2025-06.csv."
        ),
        required=False,
        choices=[
            ("", _("Take it from the file name")),
            ("victims", _("Victims")),
            ("crimes", _("Crimes")),
            ("events", _("Events")),
            ("returns", _("Returns (aggregate figures)")),
        ],
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file, do not store it"),
        help_text=_("A dry run: you see every problem, and nothing is stored."),
        required=False,
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        try:
            file_format(Path(upload.name).name)
        except FileRejected:
            raise forms.ValidationError(_("The selected file must be a CSV, XLSX or Parquet file")) from None
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The selected file must be smaller than 500 MB")) from None
        return upload


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What is the token for?"),
        help_text=_("For example, 'nightly export from the crime system'."),
        max_length=100,
        error_messages={"required": _("Enter what the token is for")},
    )
    days = forms.TypedChoiceField(
        label=_("How long should it work?"),
        help_text=_("It stops working after that. Before then, create a new token and revoke this one."),
        coerce=int,
        initial=TOKEN_LIFETIMES[0],
        choices=[(days, format_lazy(_("{days} days"), days=days)) for days in sorted(TOKEN_LIFETIMES)],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how long the token should work"),
            "invalid_choice": _("Select how long the token should work"),
        },
    )


class TokenBodyForm(forms.Form):
    """An administrator's choice of the body whose tokens to manage."""

    body = forms.ModelChoiceField(
        label=_("Which body's tokens?"),
        queryset=submitting_organisations(),
        to_field_name="code",
        empty_label=_("- Select a body -"),
        error_messages={
            "required": _("Select the body whose tokens you want to manage"),
            "invalid_choice": _("Select a body that sends data"),
        },
    )


class MappingForm(forms.Form):
    file = forms.FileField(
        label=_("Upload a code mapping file"),
        help_text=_("A CSV with the columns table, column, local_code, standard_code."),
        error_messages={"required": _("Select a file")},
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_MAPPING_BYTES:
            raise forms.ValidationError(_("The selected file must be smaller than 2 MB"))
        return upload
