import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from accounts.actions import username_refusal
from accounts.models import AuditEvent, Organisation, Role, User
from accounts.roles import role_fits, role_refusal, roles_for_kind

if TYPE_CHECKING:  # django-stubs is a development tool, not installed in service
    from django_stubs_ext import StrOrPromise

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"]
ACTION_NAME = re.compile(r"[a-z_]+(\.[a-z_]+)*")


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Enter a correct user name and password. Both are case-sensitive."),
        "inactive": _("This account is not active. Ask your administrator."),
        "organisation_inactive": _("This account's organisation is not active. Ask your administrator."),
        "temporary_password_expired": _(
            "This temporary password has expired. Ask your administrator to issue a new one."
        ),
        "temporary_password_used": _(
            "This temporary password has already been used to sign in. Ask your administrator to issue a new one."
        ),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = _("User name")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        # No autofocus (Django sets it): the first Tab must still reach the skip link, as GOV.UK advises.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].error_messages["required"] = _("Enter your user name")
        self.fields["password"].label = _("Password")
        self.fields["password"].error_messages["required"] = _("Enter your password")
        self.fields["password"].widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})

    def typed_username(self) -> str:
        """The user name as the form reads it (spaces around it removed, Unicode normalised), valid or not:
        what it signs in with, so what a lockout counts and the log names."""
        typed = self.data.get(self.add_prefix("username"), "")
        return str(self.fields["username"].to_python(typed) or "")

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if user.organisation_deactivated:
            raise forms.ValidationError(
                self.error_messages["organisation_inactive"], code="organisation_inactive"
            )
        if user.temporary_password_expired:
            raise forms.ValidationError(
                self.error_messages["temporary_password_expired"], code="temporary_password_expired"
            )
        if user.temporary_password_spent:
            raise self.temporary_password_used()

    def temporary_password_used(self) -> forms.ValidationError:
        """The refusal of the right temporary password after it signed in once already."""
        return forms.ValidationError(
            self.error_messages["temporary_password_used"], code="temporary_password_used"
        )


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


class AccountForm(forms.Form):
    """A new account: who, in which organisation, with which role."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only. The person signs in with it; it cannot be changed."),
        error_messages={"required": _("Enter a user name")},
    )
    email = forms.EmailField(
        label=_("Email address (optional)"),
        required=False,
        error_messages={
            "invalid": _("Enter an email address in the correct format, like name@example.gov.uk")
        },
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        empty_label=_("- Select an organisation -"),
        error_messages={"required": _("Select the organisation the person works for")},
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", _("- Select a role -")), *Role.choices],
        help_text=_(
            "Submitters and analysts work in a submitting body, local reviewers in a local policing body, "
            "national analysts and administrators in a national organisation."
        ),
        error_messages={"required": _("Select a role")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"class": "govuk-input--width-20", "spellcheck": "false", "autocomplete": "off"}
        )
        self.fields["email"].widget.attrs.update({"spellcheck": "false", "autocomplete": "off"})

    def clean_username(self) -> str:
        username = User.normalize_username(str(self.cleaned_data["username"]).strip())
        refusal = username_refusal(username)
        if refusal is not None:
            raise forms.ValidationError(refusal)
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        organisation, role = cleaned.get("organisation"), cleaned.get("role")
        if organisation is not None and role and not role_fits(role, organisation.kind):
            self.add_error("role", role_refusal(role, organisation))
        return cleaned


class RoleForm(forms.Form):
    """An account's new role, among those its organisation allows (`accounts.actions.change_role` checks)."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, data: Any = None, *, user: User) -> None:
        super().__init__(data, initial={"role": user.role})
        kind = user.organisation.kind if user.organisation else ""
        # Only the roles that fit the account's organisation are offered.
        cast(forms.ChoiceField, self.fields["role"]).choices = [
            (role, Role(role).label) for role in roles_for_kind(kind)
        ] or Role.choices


# The field beside which the password rules give their refusal (Django gives it beside the repetition).
FIELD_THE_RULES_CHECK = "new_password1"


class NewPasswordForm(PasswordChangeForm):
    """Choosing a new password: the current one (or the temporary one), then the new one twice."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Your current password")
        self.fields["old_password"].help_text = _(
            "If an administrator gave you a temporary password, enter it here"
        )
        self.fields["old_password"].error_messages["required"] = _("Enter your current password")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = _(
            "At least 12 characters, not a common password, not all numbers, not like your user name and "
            "not containing it"
        )
        self.fields["new_password1"].error_messages["required"] = _("Enter a new password")
        self.fields["new_password2"].label = _("New password again")
        self.fields["new_password2"].help_text = ""  # Django's own has no Welsh, and the label says it
        self.fields["new_password2"].error_messages["required"] = _("Enter the new password again")
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": _("Your current password is not right. Enter it again"),
            "password_mismatch": _("The two new passwords are not the same"),
        }

    def validate_password_for_user(self, user: Any, *args: Any, **kwargs: Any) -> None:
        # A refusal of the rules is beside the new password, where the person typed it first.
        super().validate_password_for_user(user, FIELD_THE_RULES_CHECK)
