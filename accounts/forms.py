import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEvent

if TYPE_CHECKING:  # django-stubs is a development tool, not installed in service
    from django_stubs_ext import StrOrPromise

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"]
ACTION_NAME = re.compile(r"[a-z_]+(\.[a-z_]+)*")


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Enter a correct user name and password. Both are case-sensitive."),
        "inactive": _("This account is not active. Ask your administrator."),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = _("User name")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        self.fields["username"].error_messages["required"] = _("Enter your user name")
        self.fields["password"].label = _("Password")
        self.fields["password"].error_messages["required"] = _("Enter your password")
        self.fields["password"].widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})


def _day_field(label: "StrOrPromise", hint: "StrOrPromise", invalid: "StrOrPromise") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        help_text=hint,
        error_messages={"invalid": invalid},
    )


class AuditFilterForm(forms.Form):
    """What an administrator can narrow the audit log to. Every field may be left empty."""

    action = forms.ChoiceField(label=_("Action"), required=False)
    who = forms.CharField(
        label=_("Who"), required=False, max_length=150, help_text=_("A user name, or a system process")
    )
    target = forms.CharField(
        label=_("Target contains"),
        required=False,
        max_length=300,
        help_text=_("For example, a Justice Journey Number as JJ-7KDA-94FX-HMQF, or body:E23000036"),
    )
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    since = _day_field(
        _("From"),
        _("A day, for example 2026-11-30 or 30/11/2026"),
        _("Enter the first day as a date, for example 2026-11-30"),
    )
    until = _day_field(
        _("To"), _("The last day, included"), _("Enter the last day as a date, for example 2026-11-30")
    )

    def __init__(self, data: Any, *, actions: Sequence[str]) -> None:
        super().__init__(data)
        # An action the log does not hold yet (an address kept from another day) finds no events: not an error.
        asked = str((data or {}).get("action", ""))
        if ACTION_NAME.fullmatch(asked) and asked not in actions:
            actions = sorted([*actions, asked])
        cast(forms.ChoiceField, self.fields["action"]).choices = [
            ("", _("Every action")),
            *((a, a) for a in actions),
        ]
        cast(forms.ChoiceField, self.fields["outcome"]).choices = [
            ("", _("Every outcome")),
            *AuditEvent.Outcome.choices,
        ]
        for name, width in (("who", 20), ("target", 20), ("since", 10), ("until", 10)):
            self.fields[name].widget.attrs.update(
                {"class": f"govuk-input--width-{width}", "spellcheck": "false"}
            )

    @property
    def narrows(self) -> bool:
        """Whether any filter was filled in."""
        return self.is_bound and any(str(self.data.get(name, "")).strip() for name in self.fields)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("The last day must be on or after the first day"))
        return cleaned
