"""GOV.UK Design System markup for every Django form: form groups, labels, hints, error messages."""

from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Input
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.safestring import SafeString

_INPUT_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.CheckboxSelectMultiple, "govuk-checkboxes__input"),
    (forms.RadioSelect, "govuk-radios__input"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.ClearableFileInput, "govuk-file-upload"),
    (forms.FileInput, "govuk-file-upload"),
    (forms.Textarea, "govuk-textarea"),
    (forms.Select, "govuk-select"),
    (Input, "govuk-input"),
]


class GovUKBoundField(forms.BoundField):
    @property
    def govuk_kind(self) -> str:
        widget = self.field.widget
        # Django's CheckboxSelectMultiple is a RadioSelect: asked first, so its choices are drawn as checkboxes.
        if isinstance(widget, forms.CheckboxSelectMultiple):
            return "checkboxes"
        if isinstance(widget, forms.RadioSelect):
            return "radios"
        if isinstance(widget, forms.CheckboxInput):
            return "checkbox"
        return "input"

    @property
    def hint_id(self) -> str:
        return f"{self.auto_id}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}-error"

    @property
    def described_by(self) -> str:
        ids = [self.hint_id] if self.help_text else []
        if self.errors:
            ids.append(self.error_id)
        return " ".join(ids)

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        # Radios and checkbox lists render choice by choice (the subwidgets), so the class goes on each input.
        if self.govuk_kind in ("radios", "checkboxes"):
            attrs["class"] = f"govuk-{self.govuk_kind}__input"
        return attrs

    def govuk_widget(self) -> SafeString:
        widget = self.field.widget
        css = next(css for widget_type, css in _INPUT_CLASSES if isinstance(widget, widget_type))
        if self.errors and self.govuk_kind == "input":
            css += f" {css.split()[0]}--error"
        attrs: dict[str, Any] = {"class": f"{css} {widget.attrs.get('class', '')}".strip()}
        if self.described_by and self.govuk_kind in ("input", "checkbox"):
            # The hint's and error's ids as this markup writes them (Django would name its own hint id).
            attrs["aria-describedby"] = self.described_by
        return self.as_widget(attrs=attrs)


class GovUKFormRenderer(DjangoTemplates):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"
    bound_field_class = GovUKBoundField

    def get_template(self, template_name: str) -> Any:
        # The project's templates (config/templates/govuk/) first, then Django's own widget templates.
        try:
            return get_template(template_name)
        except TemplateDoesNotExist:
            return super().get_template(template_name)
