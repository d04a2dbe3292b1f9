import io
import json
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from analytics.schemas import table_schema
from analytics.standard import load_standard
from tests.factories.standard import loaded_standard

pytestmark = pytest.mark.django_db

STANDARD = load_standard("1")
PAGES = [
    "/standard/",
    "/standard/bodies/",
    *[f"/standard/rights/{right.number}/" for right in STANDARD.rights],
    *[f"/standard/metrics/{metric_id}/" for metric_id in STANDARD.metrics],
    *[f"/standard/tables/{name}/" for name in STANDARD.tables],
    *[f"/standard/codes/{name}/" for name in STANDARD.codes],
]


@pytest.fixture
def client_with_standard() -> Client:
    loaded_standard()
    return Client()


@pytest.mark.parametrize("prefix", ["", "/cy"])
def test_every_page_of_the_standard_opens_in_english_and_welsh(client_with_standard, prefix):
    for page in PAGES:
        response = client_with_standard.get(prefix + page)
        assert response.status_code == 200, page
        assert response["Content-Language"] == ("cy" if prefix else "en"), page


def test_unknown_things_are_not_found(client_with_standard):
    for page in [
        "/standard/rights/13/",
        "/standard/metrics/R99.none/",
        "/standard/tables/people/",
        "/standard/codes/colour/",
        "/standard/schemas/people.json",
        "/standard/templates/people.csv",
        "/standard/?version=9",
    ]:
        assert client_with_standard.get(page).status_code == 404, page


def test_the_index_lists_rights_tables_and_downloads(client_with_standard):
    page = client_with_standard.get("/standard/").content.decode()
    assert "To have the details of the crime recorded without unjustified delay" in page
    for name in STANDARD.tables:
        assert f'href="/standard/templates/{name}.csv"' in page
        assert f'href="/standard/schemas/{name}.json"' in page
    assert 'href="/standard/metrics/R6.decision_letter/"' in page


def test_a_metric_page_works_through_the_easter_example(client_with_standard):
    page = client_with_standard.get("/standard/metrics/R3.confirmation_5wd/").content.decode()
    assert "Thursday 17 April 2025" in page
    # Good Friday and Easter Monday are skipped: 5 working days after 17 April is Monday 28 April.
    assert "The deadline is Monday 28 April 2025." in page
    assert "Good Friday" in page
    assert "Easter Monday" in page
    assert "Tuesday 29 April 2025 at 09:00" in page  # late
    for result in ("Met", "Late", "Missed", "Pending"):
        assert f">{result}</strong>" in page


def test_a_metric_with_an_enhanced_deadline_shows_both(client_with_standard):
    page = client_with_standard.get("/standard/metrics/R6.suspect_update/").content.decode()
    assert "Within 1 working day, when the crime has enhanced_rights = Y" in page
    assert "For a victim with enhanced rights it is Tuesday 22 April 2025." in page


def test_the_responsible_body_follows_the_detail(client_with_standard):
    page = client_with_standard.get("/standard/metrics/R6.decision_letter/").content.decode()
    assert "The crime&#x27;s police force" in page
    assert "when the detail is: Police decision to take no further action" in page
    assert "CPS area" in page


def test_a_police_duty_falls_on_btp_and_mdp_for_their_crimes_too(client_with_standard):
    for metric_id, metric in STANDARD.metrics.items():
        page = client_with_standard.get(f"/standard/metrics/{metric_id}/").content.decode()
        who = page[page.index("Who is responsible") :]
        who = who[: who.index("</dd>")]
        assert "Territorial police force" not in who, metric_id
        if "police_force" in metric.responsible_body_types:
            assert (
                "the territorial force of its area, or British Transport Police or the Ministry of Defence Police "
                "for the crimes they record"
            ) in who, metric_id


def test_complaints_are_counted_for_the_body_that_recorded_them(client_with_standard):
    page = client_with_standard.get("/standard/metrics/R12.complaints/").content.decode()
    who = page[page.index("Who is responsible") :]
    assert (
        "The body that recorded it: each body counts the complaints made to it" in who[: who.index("</dd>")]
    )


def test_the_24_hour_metric_counts_elapsed_time(client_with_standard):
    page = client_with_standard.get("/standard/metrics/R2.recorded_24h/").content.decode()
    assert "The deadline is Friday 18 April 2025 at 14:30." in page
    assert "Bank holidays make no difference" in page


def test_a_crimes_column_in_a_metric_is_named_in_words_not_by_an_internal_id(client_with_standard):
    page = client_with_standard.get("/standard/metrics/R2.recorded_24h/").content.decode()
    assert "the crime is first reported to the police (reported_at in the crimes table)" in page
    assert "<li>the crime is recorded (recorded_at in the crimes table)</li>" in page
    for metric_id in STANDARD.metrics:
        page = client_with_standard.get(f"/standard/metrics/{metric_id}/").content.decode()
        assert "crime.recorded_at" not in page and "crime.reported_at" not in page, metric_id
    confirmation = client_with_standard.get("/standard/metrics/R3.confirmation_5wd/").content.decode()
    assert "(<code>written_confirmation_sent</code>)" in confirmation


def test_a_table_page_lists_its_columns(client_with_standard):
    page = client_with_standard.get("/standard/tables/crimes/").content.decode()
    for column in STANDARD.tables["crimes"].column_names:
        assert f"<code>{column}</code>" in page
    assert "When enhanced_rights is Y" in page
    assert 'href="/standard/codes/enhanced_reason/"' in page


def test_a_code_list_page_shows_codes_and_groups(client_with_standard):
    page = client_with_standard.get("/standard/codes/ethnicity/").content.decode()
    assert "<code>W3</code>" in page
    assert "Gypsy or Irish Traveller" in page
    outcomes = client_with_standard.get("/standard/codes/outcome_type/").content.decode()
    assert "<code>18</code>" in outcomes
    assert "<code>19</code>" not in outcomes


def test_the_welsh_page_is_the_welsh_version(client_with_standard):
    response = client_with_standard.get("/cy/standard/")
    assert b'lang="cy"' in response.content
    assert b'href="/cy/standard/tables/crimes/"' in response.content


@pytest.mark.parametrize("name", list(STANDARD.tables))
def test_csv_template_has_the_header_row(client_with_standard, name):
    response = client_with_standard.get(f"/standard/templates/{name}.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="{name}.csv"' in response["Content-Disposition"]
    assert response.content.decode("utf-8") == ",".join(STANDARD.tables[name].column_names) + "\r\n"


@pytest.mark.parametrize("name", list(STANDARD.tables))
def test_xlsx_template_has_the_header_row_on_its_first_sheet(client_with_standard, name):
    response = client_with_standard.get(f"/cy/standard/templates/{name}.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    first = workbook.worksheets[0]
    rows = list(first.iter_rows(values_only=True))
    assert rows == [STANDARD.tables[name].column_names]
    workbook.close()


def test_pages_are_public_and_read_only(client_with_standard):
    assert client_with_standard.post("/standard/").status_code == 405


def test_a_proportion_metric_says_what_it_divides(client_with_standard):
    page = client_with_standard.get("/standard/metrics/R7.vps_read/").content.decode()
    assert "Of the convicted crimes with a Victim Personal Statement" in page
    assert "A worked example" not in page


@pytest.mark.parametrize(
    ("page", "most"),
    [
        ("/standard/", 8),
        ("/standard/bodies/", 5),
        ("/standard/rights/6/", 5),
        ("/standard/tables/events/", 4),
        ("/standard/codes/event_type/", 5),
        ("/standard/codes/withdrawal_stage/", 4),
    ],
)
def test_pages_make_a_fixed_number_of_queries(
    client_with_standard, django_assert_max_num_queries, page, most
):
    with django_assert_max_num_queries(most):
        assert client_with_standard.get(page).status_code == 200


def test_every_table_of_the_standard_has_a_caption(client_with_standard):
    for page in PAGES:
        html = client_with_standard.get(page).content.decode()
        for table in re.findall(r"<table[^>]*>\s*(<\w+)", html):
            assert table == "<caption", page


def test_the_standard_s_english_only_text_is_marked_as_english_on_welsh_pages(client_with_standard):
    metric = next(iter(STANDARD.metrics.values()))
    welsh = client_with_standard.get(f"/cy/standard/metrics/{metric.id}/").content.decode()
    english = client_with_standard.get(f"/standard/metrics/{metric.id}/").content.decode()
    assert f'<h1 class="govuk-heading-l"><span lang="en">{metric.title}</span></h1>' in welsh
    assert f'<h1 class="govuk-heading-l">{metric.title}</h1>' in english


def _row(page: str, code: str) -> str:
    found = re.search(rf'<tr class="govuk-table__row" id="{code}">(.*?)</tr>', page, re.S)
    assert found, code
    return found.group(1)


def test_the_event_types_page_shows_the_detail_codes_each_type_takes(client_with_standard):
    page = client_with_standard.get("/standard/codes/event_type/").content.decode()
    assert '<th scope="col" class="govuk-table__header">Detail codes</th>' in page
    withdrew = _row(page, "victim_withdrew")
    assert "<code>pre_charge</code>, <code>post_charge</code>" in withdrew
    assert 'href="/standard/codes/withdrawal_stage/"' in withdrew
    for code, event_type in STANDARD.event_types.items():
        row = _row(page, code)
        if event_type.detail_codelist:
            assert f'href="/standard/codes/{event_type.detail_codelist}/"' in row, code
            for detail in STANDARD.codes[event_type.detail_codelist]:
                assert f"<code>{detail}</code>" in row, code
        else:
            assert "None: leave detail empty" in row, code


def test_a_detail_code_list_names_the_event_type_that_takes_it(client_with_standard):
    page = client_with_standard.get("/standard/codes/withdrawal_stage/").content.decode()
    assert "Used by:" in page
    assert 'href="/standard/tables/events/"><code>events.detail</code></a> when event_type is' in page
    assert 'href="/standard/codes/event_type/#victim_withdrew"><code>victim_withdrew</code></a>' in page
    for code, event_type in STANDARD.event_types.items():
        if event_type.detail_codelist:
            listed = client_with_standard.get(
                f"/standard/codes/{event_type.detail_codelist}/"
            ).content.decode()
            assert f'href="/standard/codes/event_type/#{code}"' in listed, code


def test_the_detail_column_says_which_event_types_take_which_list(client_with_standard):
    page = client_with_standard.get("/standard/tables/events/").content.decode()
    detail = page[page.index("<code>detail</code>") :]
    assert (
        '<a class="govuk-link" href="/standard/codes/event_type/#victim_withdrew"><code>victim_withdrew</code></a>: '
        '<a class="govuk-link" href="/standard/codes/withdrawal_stage/">from the withdrawal_stage list</a>'
    ) in detail
    assert "Any other event type takes no detail: leave it empty." in detail
    crimes = client_with_standard.get("/standard/tables/crimes/").content.decode()
    assert "takes no detail" not in crimes


@pytest.mark.parametrize("table", ["victims", "crimes", "events", "returns"])
def test_each_table_s_schema_is_published_as_the_standard_makes_it(client_with_standard, table):
    # What tests/unit/standard/test_published_schemas.py checks files against is what this page serves.
    response = client_with_standard.get(f"/standard/schemas/{table}.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert json.loads(response.content) == json.loads(json.dumps(table_schema(load_standard("1"), table)))
