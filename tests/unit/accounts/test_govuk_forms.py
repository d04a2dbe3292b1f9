"""Every Django form renders with GOV.UK Design System markup (config.forms.GovUKFormRenderer)."""

from django import forms


class UploadForm(forms.Form):
    period = forms.CharField(label="Period", help_text="For example, 2025-26 Q1")
    table = forms.ChoiceField(
        label="Table", choices=[("crimes", "Crimes"), ("events", "Events")], widget=forms.RadioSelect
    )
    body = forms.ChoiceField(label="Body", choices=[("E23000036", "Avon and Somerset")])
    note = forms.CharField(label="Note", widget=forms.Textarea, required=False)
    confirm = forms.BooleanField(label="I have checked the file")


def test_fields_render_as_govuk_form_groups_with_hints():
    html = str(UploadForm())
    assert '<label class="govuk-label" for="id_period">Period</label>' in html
    assert '<div id="id_period-hint" class="govuk-hint">For example, 2025-26 Q1</div>' in html
    assert 'class="govuk-input"' in html and 'aria-describedby="id_period-hint"' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Table</legend>' in html
    assert (
        'class="govuk-radios__input"' in html
        and 'class="govuk-label govuk-radios__label" for="id_table_0"' in html
    )
    assert 'class="govuk-select"' in html and 'class="govuk-textarea"' in html
    assert 'class="govuk-checkboxes__input"' in html


def test_errors_mark_the_group_and_the_input_and_are_described():
    form = UploadForm(data={"period": "", "table": "", "body": "E23000036"})
    html = str(form)
    assert html.count("govuk-form-group--error") == 3
    assert (
        '<p id="id_period-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> This field is required.</p>'
        in html
    )
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-describedby="id_period-hint id_period-error"' in html
    assert 'aria-describedby="id_table-error"' in html


class ChoicesForm(forms.Form):
    records = forms.MultipleChoiceField(
        label="Records", choices=[("1", "One"), ("2", "Two")], widget=forms.CheckboxSelectMultiple
    )
    dry_run = forms.BooleanField(label="Only check", help_text="Nothing is stored.", required=False)


def test_a_choice_of_several_is_drawn_as_checkboxes_not_radios():
    html = str(ChoicesForm())
    assert '<div class="govuk-checkboxes" data-module="govuk-checkboxes">' in html
    assert "govuk-radios" not in html
    assert html.count('type="checkbox" name="records"') == 2


def test_a_single_checkbox_is_described_by_its_hint():
    html = str(ChoicesForm())
    assert 'aria-describedby="id_dry_run-hint"' in html and '<div id="id_dry_run-hint"' in html
