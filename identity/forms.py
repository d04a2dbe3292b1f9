from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from identity import jjn
from identity.access import PURPOSE_MIN_LENGTH
from identity.models import SharingAgreement


class JJNField(forms.CharField):
    """Accepts any spacing, hyphens and case; cleans to the display form; explains a wrong number."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("error_messages", {"required": _("Enter a Justice Journey Number")})
        kwargs.setdefault(
            "help_text", _("For example, JJ-7KDA-94FX-HMQF. Spaces, hyphens and lower case are fine.")
        )
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def clean(self, value: object) -> str:
        text = super().clean(value)
        if not text:
            return text
        try:
            return jjn.display(text)
        except jjn.InvalidJJN as error:
            raise forms.ValidationError(_("Enter a valid JJN: %(reason)s.") % {"reason": error}) from None


class PurposeField(forms.CharField):
    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", _("Why do you need to see this?"))
        kwargs.setdefault(
            "help_text", _("For example, the case reference and the task. This is recorded with your name.")
        )
        kwargs.setdefault("min_length", PURPOSE_MIN_LENGTH)
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Enter why you need to see this"),
                "min_length": _("Say why in at least %(limit_value)d characters"),
                "max_length": _("Say why in at most %(limit_value)d characters"),
            },
        )
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(**kwargs)  # type: ignore[arg-type]


class FindPersonForm(forms.Form):
    jjn = JJNField(label=_("Justice Journey Number"))


class PurposeForm(forms.Form):
    purpose = PurposeField()


class MatchForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        help_text=_("For example, 1988-04-12."),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=20, required=False)
    purpose = PurposeField(label=_("Why are you looking this person up?"))
    allocate = forms.BooleanField(
        label=_(
            "Issue a new JJN if there is no certain match (records this person in the vault for your body)"
        ),
        required=False,
    )
    none_of_these = forms.BooleanField(
        label=_("I have checked: none of the candidates found is this person"),
        help_text=_(
            "A new JJN is issued only when no candidate is found, or when you have checked them all."
        ),
        required=False,
    )


class PairDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Are these records the same person?"),
        choices=[("same", _("Yes, the same person")), ("different", _("No, different people"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)
    purpose = forms.CharField(widget=forms.HiddenInput, max_length=500)


class SplitDecisionForm(forms.Form):
    move = forms.TypedMultipleChoiceField(
        label=_("Records that belong to a different person"),
        help_text=_("They will get a new JJN. Choose none to decide this number is one person."),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)
    purpose = forms.CharField(widget=forms.HiddenInput, max_length=500)

    def __init__(self, *args: object, records: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["move"].choices = records  # type: ignore[attr-defined]


class SplitRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why might this number be two people?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Say why this number may be two people."),
            "max_length": _("Say why in 500 characters or fewer."),
        },
    )


class AgreementForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation that may see the data"),
        queryset=Organisation.objects.filter(is_active=True),
        error_messages={"required": _("Select the organisation that may see the data")},
    )
    source_body = forms.ModelChoiceField(
        label=_("Body whose data may be seen"),
        queryset=Organisation.objects.filter(is_active=True).exclude(
            kind__in=["national", "local_policing_body"]
        ),
        to_field_name="code",
        error_messages={"required": _("Select the body whose data may be seen")},
    )
    scope = forms.ChoiceField(
        label=_("For"),
        choices=SharingAgreement.Scope.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what the agreement is for")},
    )
    reference = forms.CharField(
        label=_("Agreement reference"),
        max_length=100,
        error_messages={"required": _("Enter the agreement's reference")},
    )
    starts_on = forms.DateField(
        label=_("Starts on"),
        help_text=_("For example, 2026-04-01."),
        error_messages={
            "required": _("Enter the start date, for example 2026-04-01"),
            "invalid": _("Enter the start date as a real date, for example 2026-04-01"),
        },
    )
    ends_on = forms.DateField(
        label=_("Ends on (optional)"),
        help_text=_("The first day it no longer counts. Leave empty if it has no end date."),
        required=False,
        error_messages={"invalid": _("Enter the end date as a real date, for example 2027-04-01")},
    )

    def clean(self) -> dict[str, object] | None:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", _("The end date must be after the start date."))
        if cleaned.get("organisation") and cleaned.get("source_body") == cleaned.get("organisation"):
            self.add_error("source_body", _("An organisation always sees its own data; choose another body."))
        return cleaned


class EndAgreementForm(forms.Form):
    ends_on = forms.DateField(label=_("Ends on"))
