import csv
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from accounts.models import AuditEvent, Role
from analytics.metrics import OUTPUT_COLUMNS
from tests.factories import accounts as people
from tests.factories.journeys import FORCE, event, return_row, write_csv

from .conftest import WCU, ingest

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture
def computed(submitted):
    call_command("compute", "--period", "2025-26 Q1", "--cutoff", "2025-08-15", stdout=None)


def signed_in(client, username, *, role, organisation):
    client.force_login(people.user(username, role=role, organisation_code=organisation))
    return client


def metric_url(metric, *, force, body):
    return f"{reverse('compliance:metric', args=[metric])}?period=2025-26+Q1&force={force}&body={body}"


def test_analyst_sees_only_their_own_body(client, computed):
    page = signed_in(client, "wcu", role=Role.ANALYST, organisation=WCU).get(reverse("compliance:index"))
    assert page.status_code == 200
    text = page.content.decode()
    assert WCU in text
    assert "R3.confirmation_5wd" not in text and "Written confirmation" not in text


def test_analyst_cannot_open_another_bodys_figure(client, computed):
    signed_in(client, "wcu", role=Role.ANALYST, organisation=WCU)
    page = client.get(metric_url("R3.confirmation_5wd", force=FORCE, body=FORCE))
    assert page.status_code == 403
    assert AuditEvent.objects.filter(action="access.refused", outcome="refused").exists()


def test_local_reviewer_sees_every_body_in_the_area(client, computed):
    page = signed_in(client, "pcc", role=Role.LOCAL_REVIEWER, organisation="LPB-E23000036").get(
        reverse("compliance:index")
    )
    text = page.content.decode()
    assert WCU in text and "Written confirmation" in text


def test_metric_page_has_chart_table_intervals_and_counts(client, computed):
    signed_in(client, "police", role=Role.ANALYST, organisation=FORCE)
    page = client.get(metric_url("R3.confirmation_5wd", force=FORCE, body=FORCE))
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text and 'role="img"' in text
    assert "50.0%" in text  # the rate, in the chart's table and the summary
    assert "9.5% \N{EN DASH} 90.5%" in text  # Wilson 95% interval for 1 of 2
    assert ">Sex<" in text and ">Male<" in text  # the counts by breakdown, under the standard's names
    assert "Avon and Somerset" in text and f"· {FORCE} ·" not in text
    # Never people or crimes (whole words: a random CSP nonce or form token may contain "P1").
    assert not re.search(r"\b(P1|C1)\b", text)


def test_national_analyst_sees_all(client, computed):
    people.organisation("MOJ", kind="national")
    page = signed_in(client, "nat", role=Role.NATIONAL_ANALYST, organisation="MOJ").get(
        metric_url("R8.hearing_info_1wd", force=FORCE, body=WCU)
    )
    assert page.status_code == 200


def test_a_national_analyst_s_list_leads_each_metric_with_england_and_wales(client, computed):
    signed_in(client, "nat", role=Role.NATIONAL_ANALYST, organisation="MOJ")
    rows = figure_rows(client.get(reverse("compliance:index"), {"period": "2025-26 Q1"}).content.decode())
    metrics = list(dict.fromkeys(metric for metric, _, _ in rows))
    firsts = [next((area, body) for m, area, body in rows if m == metric) for metric in metrics]
    assert len(metrics) > 1 and set(firsts) == {("England and Wales", "All bodies")}
    national = client.get(metric_url("R8.hearing_info_1wd", force="ALL", body="ALL")).content.decode()
    assert "R8.hearing_info_1wd · 2025-26 Q1 · England and Wales · All bodies" in national
    # The England and Wales figure is not compared with itself.
    assert "data-comparison" not in national and "which each area's figure is compared with" in national
    own = client.get(metric_url("R8.hearing_info_1wd", force=FORCE, body="ALL")).content.decode()
    assert 'data-comparison="national"' in own and 'data-comparison="similar"' in own
    # An area over all its bodies is compared with all bodies; a body with the bodies of its kind, and says so.
    assert "compared with the bodies of its kind, in England" not in own
    body = client.get(metric_url("R8.hearing_info_1wd", force=FORCE, body=WCU)).content.decode()
    assert "A body is compared with the bodies of its kind, in England and Wales and in similar areas" in body
    # For anyone else the England and Wales figure is the comparison beside their own, not a row of the list.
    signed_in(client, "police", role=Role.ANALYST, organisation=FORCE)
    rows = figure_rows(client.get(reverse("compliance:index"), {"period": "2025-26 Q1"}).content.decode())
    assert rows and all(area != "England and Wales" for _, area, _ in rows)


def test_a_long_list_runs_to_pages_that_keep_the_filters(client, computed, monkeypatch):
    signed_in(client, "nat", role=Role.NATIONAL_ANALYST, organisation="MOJ")
    everything = figure_rows(
        client.get(reverse("compliance:index"), {"period": "2025-26 Q1"}).content.decode()
    )
    assert (
        len(everything) > 10
        and "govuk-pagination" not in client.get(reverse("compliance:index")).content.decode()
    )
    monkeypatch.setattr("compliance.views.FIGURES_PER_PAGE", 5)
    first = client.get(reverse("compliance:index"), {"period": "2025-26 Q1"}).content.decode()
    assert figure_rows(first) == everything[:5]
    assert f"Your figures ({len(everything)})" in first and "Figures 1 to 5" in first
    assert 'href="?period=2025-26+Q1&amp;page=2" rel="next"' in first and 'rel="prev"' not in first
    second = client.get(reverse("compliance:index"), {"period": "2025-26 Q1", "page": "2"}).content.decode()
    assert figure_rows(second) == everything[5:10] and 'aria-current="page">2<' in second
    assert 'href="?period=2025-26+Q1&amp;page=1" rel="prev"' in second
    pages = -(-len(everything) // 5)
    beyond = client.get(reverse("compliance:index"), {"period": "2025-26 Q1", "page": "999"}).content.decode()
    assert figure_rows(beyond) == everything[(pages - 1) * 5 :] and 'rel="next"' not in beyond
    mistyped = client.get(
        reverse("compliance:index"), {"period": "2025-26 Q1", "page": "two"}
    ).content.decode()
    assert figure_rows(mistyped) == everything[:5]
    # In Welsh too (last: the choice of language stays with the session).
    welsh = client.get("/cy/compliance/", {"period": "2025-26 Q1", "page": "2"}).content.decode()
    assert 'aria-label="Tudalennau"' in welsh and "Blaenorol" in welsh and "Ffigurau 6 i 10" in welsh


def test_administrators_are_refused(client, computed):
    page = signed_in(client, "admin", role=Role.ADMINISTRATOR, organisation="MOJ").get(
        reverse("compliance:index")
    )
    assert page.status_code == 403


def test_the_figures_can_be_narrowed_to_one_metric_and_area(client, computed):
    signed_in(client, "pcc", role=Role.LOCAL_REVIEWER, organisation="LPB-E23000036")
    everything = client.get(reverse("compliance:index"), {"period": "2025-26 Q1"}).content.decode()
    page = client.get(
        reverse("compliance:index"), {"period": "2025-26 Q1", "metric": "R8.hearing_info_1wd", "force": FORCE}
    )
    text = page.content.decode()
    shown = set(re.findall(r'href="/compliance/([^/]+)/\?period=[^&]+&amp;force=([^&]+)&amp;', text))
    assert shown == {("R8.hearing_info_1wd", FORCE)}
    assert len(set(re.findall(r'href="/compliance/([^/]+)/', everything))) > 1
    assert '<option value="R8.hearing_info_1wd" selected>' in text
    assert f'<option value="{FORCE}" selected>' in text


def test_narrowing_never_shows_another_body_s_figures(client, computed):
    signed_in(client, "wcu", role=Role.ANALYST, organisation=WCU)
    page = client.get(reverse("compliance:index"), {"metric": "R3.confirmation_5wd", "force": FORCE})
    text = page.content.decode()
    assert "There are no figures for the bodies you can see in this quarter." in text
    assert 'href="/compliance/R3.confirmation_5wd/' not in text


def figure_rows(text):
    """(metric link, area, body) of each row of the figures table."""
    return re.findall(
        r'href="/compliance/([^/]+)/\?[^"]*">[^<]*<span class="govuk-visually-hidden">[^<]*</span></a></td>\s*'
        r'<td class="govuk-table__cell">([^<]*)</td>\s*'
        r'<td class="govuk-table__cell">([^<]*)</td>',
        text,
    )


def test_the_figures_are_listed_by_name_in_the_catalogue_s_order(client, computed):
    signed_in(client, "pcc", role=Role.LOCAL_REVIEWER, organisation="LPB-E23000036")
    text = client.get(reverse("compliance:index"), {"period": "2025-26 Q1"}).content.decode()
    rows = figure_rows(text)
    assert f"Your figures ({len(rows)})</caption>" in text
    metrics = list(dict.fromkeys(metric for metric, _, _ in rows))
    assert (
        metrics.index("R2.recorded_24h")
        < metrics.index("R3.confirmation_5wd")
        < metrics.index("R8.hearing_info_1wd")
    )
    assert all(m.startswith("DQ.") for m in metrics[metrics.index("DQ.before_report") :])
    witness_care = [(area, body) for metric, area, body in rows if metric == "R8.hearing_info_1wd"]
    # The area's total first, then its bodies by name; a body in one area has no separate all-areas row.
    assert witness_care == [
        ("Avon and Somerset", "All bodies"),
        ("Avon and Somerset", "Avon and Somerset Witness Care Unit"),
    ]
    assert '<option value="E23000036">Avon and Somerset</option>' in text
    assert '<optgroup label="Data quality">' in text


def download(client, **params):
    response = client.get(reverse("compliance:download"), {"period": "2025-26 Q1", **params})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="compliance-2025-26-Q1.csv"'
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_an_analyst_downloads_their_figures_with_breakdowns_and_the_download_is_audited(client, computed):
    signed_in(client, "police", role=Role.ANALYST, organisation=FORCE)
    page = client.get(reverse("compliance:index"), {"period": "2025-26 Q1", "metric": "R3.confirmation_5wd"})
    assert (
        "/compliance/figures.csv?period=2025-26%20Q1&amp;metric=R3.confirmation_5wd" in page.content.decode()
    )
    rows = download(client)
    assert list(rows[0]) == list(OUTPUT_COLUMNS)  # the columns of `justice-journey metrics --format csv`
    assert {row["body"] for row in rows} == {FORCE, "ALL"}  # their own figures and the national comparators
    assert {row["force"] for row in rows if row["body"] == "ALL"} == {"ALL"}
    confirmation = [row for row in rows if row["metric"] == "R3.confirmation_5wd" and row["body"] == FORCE]
    mine = next(r for r in confirmation if r["force"] == FORCE and r["breakdown"] == "all")
    assert (mine["met"], mine["late"], mine["numerator"], mine["denominator"], mine["rate"]) == (
        "1",
        "1",
        "1",
        "2",
        "0.500000",
    )
    assert {(r["breakdown"], r["breakdown_value"]) for r in confirmation} >= {("sex", "F"), ("sex", "M")}
    audited = AuditEvent.objects.get(action="compliance.download")
    assert audited.actor_label == "police" and audited.target == "2025-26 Q1"
    assert audited.detail["figures"] == len(rows)


def test_a_download_is_narrowed_like_the_page_and_never_widens_what_is_seen(client, computed):
    signed_in(client, "wcu", role=Role.ANALYST, organisation=WCU)
    rows = download(client, metric="R8.hearing_info_1wd", force=FORCE)
    assert rows and {(row["metric"], row["force"], row["body"]) for row in rows} == {
        ("R8.hearing_info_1wd", FORCE, WCU)
    }
    assert download(client, metric="R3.confirmation_5wd", force=FORCE) == []  # another body's figure


def test_a_download_of_an_unknown_metric_or_area_is_refused_saying_which(client, computed):
    signed_in(client, "police", role=Role.ANALYST, organisation=FORCE)
    asked = {"period": "2025-26 Q1", "metric": "NOPE", "force": "E99"}
    answer = client.get(reverse("compliance:download"), asked)
    assert answer.status_code == 400 and answer["Content-Type"].startswith("text/plain")
    assert answer.content.decode().splitlines() == [
        "NOPE is not a metric: choose one from the list",
        "E99 is not an area: choose one from the list",
    ]
    assert not AuditEvent.objects.filter(action="compliance.download").exists()


def test_administrators_cannot_download_figures(client, computed):
    page = signed_in(client, "admin", role=Role.ADMINISTRATOR, organisation="MOJ").get(
        reverse("compliance:download"), {"period": "2025-26 Q1"}
    )
    assert page.status_code == 403


def quarter_options(text: str) -> list[tuple[str, bool]]:
    select = re.search(r'<select class="govuk-select" id="period" name="period">(.*?)</select>', text, re.S)
    assert select, "the page offers no list of quarters"
    return [
        (value, bool(selected))
        for value, selected in re.findall(r'<option value="([^"]*)"( selected)?>', select[1])
    ]


def test_the_page_opens_on_the_newest_quarter_with_figures_and_offers_each_quarter(client, computed):
    # Computed later, and for quarters with no data: neither hides the newest figures.
    call_command("compute", "--period", "2026-27 Q3", "--cutoff", "2026-12-01", stdout=None)
    call_command("compute", "--period", "2024-25 Q1", "--cutoff", "2025-08-15", stdout=None)
    signed_in(client, "police", role=Role.ANALYST, organisation=FORCE)

    text = client.get(reverse("compliance:index")).content.decode()

    assert quarter_options(text) == [("2025-26 Q1", True)]
    assert "Figures for 2025-26 Q1" in text and "Written confirmation" in text


def test_a_quarter_asked_for_by_its_address_is_shown_even_without_figures(client, computed):
    signed_in(client, "police", role=Role.ANALYST, organisation=FORCE)

    text = client.get(reverse("compliance:index"), {"period": "2024-25 Q1"}).content.decode()

    assert quarter_options(text) == [("2025-26 Q1", False), ("2024-25 Q1", True)]
    assert "No figures have been computed for this quarter yet." in text


def test_with_nothing_computed_the_page_says_so_and_offers_no_quarters(client, bodies):
    signed_in(client, "police", role=Role.ANALYST, organisation=FORCE)

    text = client.get(reverse("compliance:index")).content.decode()

    assert "No figures have been computed for this quarter yet." in text
    assert 'id="period"' not in text


def test_a_figure_with_returns_says_what_its_counts_and_breakdowns_hold(client, submitted, tmp_path):
    ingest(
        "E23000005",
        write_csv(tmp_path / "returns.csv", [return_row(force="E23000005", numerator="8", denominator="10")]),
    )
    call_command("compute", "--period", "2025-26 Q1", "--cutoff", "2025-08-15", stdout=None)
    signed_in(client, "moj", role=Role.NATIONAL_ANALYST, organisation="MOJ")

    national = client.get(metric_url("R2.recorded_24h", force="ALL", body="ALL")).content.decode()
    assert "Events and returns" in national
    assert "every breakdown, count only what was computed from events" in national
    returned = client.get(metric_url("R2.recorded_24h", force="E23000005", body="E23000005")).content.decode()
    assert "This figure comes from a return" in returned and "every breakdown" not in returned
    events_only = client.get(metric_url("R3.confirmation_5wd", force=FORCE, body=FORCE)).content.decode()
    assert "data-source-note" not in events_only


def test_a_local_reviewer_sees_a_shared_body_in_their_own_areas_and_as_a_whole_only(bodies):
    from datetime import date

    from django.utils import timezone

    from compliance.models import ComputationRun, MetricResult
    from compliance.queries import visible

    people.organisation("E23000035", name="Devon and Cornwall")
    cps = people.organisation("CPS-SW", kind="cps_area", name="CPS South West", forces=[FORCE, "E23000035"])
    assert set(cps.forces.values_list("code", flat=True)) == {FORCE, "E23000035"}
    run = ComputationRun.objects.create(
        period="2025-26 Q1", periods=["2025-26 Q1"], cutoff=date(2025, 8, 15), as_of=timezone.now(),
        standard_version="1", engine="duckdb", requested_by_label="test",
    )  # fmt: skip
    for force, body in [(FORCE, "CPS-SW"), ("E23000035", "CPS-SW"), ("ALL", "CPS-SW"), ("E23000035", "ALL"),
                        (FORCE, "ALL"), ("ALL", "ALL"), (FORCE, FORCE), ("E23000035", "E23000035")]:  # fmt: skip
        MetricResult.objects.create(
            run=run, metric="R6.decision_5wd", force=force, body=body, period="2025-26 Q1", breakdown="all",
            breakdown_value="all", source="events", numerator=1, denominator=2,
        )  # fmt: skip
    reviewer = people.user("pcc", role=Role.LOCAL_REVIEWER, organisation_code="LPB-E23000036")
    seen = set(visible(reviewer, MetricResult.objects.all()).values_list("force", "body"))
    assert seen == {(FORCE, "CPS-SW"), ("ALL", "CPS-SW"), (FORCE, "ALL"), ("ALL", "ALL"), (FORCE, FORCE)}


def test_each_figure_s_link_and_page_title_name_its_area_body_and_quarter(client, computed):
    signed_in(client, "analyst", role=Role.ANALYST, organisation=FORCE)
    page = client.get(reverse("compliance:index"), {"period": "2025-26 Q1"}).content.decode()
    dash = "\u2013"  # titles join their parts with an en dash
    assert f"<title>Compliance with the Victims' Code {dash} 2025-26 Q1 {dash}" in page
    assert '<span class="govuk-visually-hidden">, Avon and Somerset, Avon and Somerset</span></a>' in page
    link = re.search(r'href="(/compliance/R3\.confirmation_5wd/\?[^"]+)"', page)
    metric = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert re.search(
        f"<title>[^<]+ {dash} Avon and Somerset, [^<]+, 2025-26 Q1 {dash} Justice Journey", metric
    )


@pytest.fixture
def complaints(submitted, tmp_path):
    """Two complaints about the force in 2025-26 Q1 and one in the quarter before: a count, not a rate."""
    complaints = [
        event(11, event_type="complaint_received", occurred_at="2025-03-03T09:00"),
        event(12, event_type="complaint_received", occurred_at="2025-05-06T09:00"),
        event(
            13,
            crime_ref="C2",
            person_ref="P2",
            event_type="complaint_received",
            occurred_at="2025-06-02T09:00",
        ),
    ]
    ingest(FORCE, write_csv(tmp_path / "events-complaints.csv", complaints, table="events"))
    call_command("compute", "--period", "2025-26 Q1", "--cutoff", "2025-08-15", stdout=None)


def test_a_count_s_page_shows_the_count_by_quarter_with_no_rate_interval_or_comparison(client, complaints):
    signed_in(client, "police", role=Role.ANALYST, organisation=FORCE)
    page = client.get(metric_url("R12.complaints", force=FORCE, body=FORCE))
    assert page.status_code == 200
    text = page.content.decode()
    assert re.search(r'data-count><dt class="govuk-summary-list__key">Count</dt><dd[^>]*>2</dd>', text)
    for said in (
        "Rate",
        "95% interval",
        "99.8% interval",
        "Better or worse",
        "data-comparison",
        "Similar areas",
        "Trend",
    ):
        assert said not in text, said
    assert "This figure is a count, not a rate" in text
    chart = re.search(r"<svg class=\"jj-chart\".*?</svg>", text, re.S).group(0)
    assert '<title id="trend-chart-title">Complaints received by quarter</title>' in chart
    assert "%</text>" not in chart and chart.count("<rect") == 2  # a count axis; a bar for each quarter
    axis = re.findall(r'text-anchor="end" fill="#0b0c0c">([^<]*)<', chart)
    assert axis == ["0", "1", "2", "3", "4"]
    quarters = re.search(r"The numbers in the chart</caption>(.*?)</table>", text, re.S).group(1)
    assert re.findall(
        r'<th scope="row" class="govuk-table__header">([^<]*)</th>\s*<td[^>]*>([^<]*)</td>', quarters
    ) == [
        ("2024-25 Q4", "1"),
        ("2025-26 Q1", "2"),
    ]
    assert re.search(r">Sex</th>\s*<td[^>]*>Female</td>\s*<td[^>]*>1</td>\s*</tr>", text)


def test_the_list_shows_a_count_under_a_heading_that_says_so(client, complaints):
    signed_in(client, "police", role=Role.ANALYST, organisation=FORCE)
    text = client.get(
        reverse("compliance:index"), {"period": "2025-26 Q1", "metric": "R12.complaints", "force": FORCE}
    ).content.decode()
    assert ">Rate or count</th>" in text
    assert re.search(
        r"Complaints received<span[^>]*>[^<]*</span></a></td>(\s*<td[^>]*>[^<]*</td>){2}\s*<td[^>]*>2</td>",
        text,
    )


def test_welsh_pages_mark_the_standard_s_english_text_and_not_the_project_s_own(client, computed):
    signed_in(client, "police", role=Role.ANALYST, organisation=FORCE)
    listed = client.get("/cy/compliance/", {"period": "2025-26 Q1"}).content.decode()
    confirmation = "Written confirmation of the crime within 5 working days"
    english = "Victims of crimes recorded in the quarter with sex recorded"
    with translation.override("cy"):
        sex = translation.gettext(english)
    assert sex != english
    # The standard's metric titles, in the filter (an option holds no span) and in the list.
    assert f'<option value="R3.confirmation_5wd" lang="en">{confirmation}</option>' in listed
    assert f'<span lang="en">{confirmation}</span><span class="govuk-visually-hidden">' in listed
    # The data-quality titles are the project's own text, translated like the rest of the page.
    assert f'<option value="DQ.sex_recorded">{sex}</option>' in listed
    assert f'">{sex}<span class="govuk-visually-hidden">' in listed

    page = client.get(
        "/cy/compliance/R3.confirmation_5wd/", {"period": "2025-26 Q1", "force": FORCE, "body": FORCE}
    ).content.decode()
    assert f'<h1 class="govuk-heading-l"><span lang="en">{confirmation}</span></h1>' in page
    assert f"<title>{confirmation} \N{EN DASH}" in page  # a title holds no markup
    groups = set(
        re.findall(r'<th scope="row" class="govuk-table__header">[^<]*</th>\s*<td[^>]*>(.*?)</td>', page)
    )
    assert {
        '<span lang="en">Female</span>',
        '<span lang="en">Male</span>',
        '<span lang="en">No</span>',
        '<span lang="en">Violence against the person</span>',
        '<span lang="en">White</span>',
        "35-49",  # an age band is numbers, in no language
    } <= groups

    quality = client.get(
        "/cy/compliance/DQ.sex_recorded/", {"period": "2025-26 Q1", "force": FORCE, "body": FORCE}
    ).content.decode()
    assert f'<h1 class="govuk-heading-l">{sex}</h1>' in quality


def test_another_body_s_figure_is_refused_alike_whether_or_not_it_exists(client, computed):
    signed_in(client, "wcu", role=Role.ANALYST, organisation=WCU)
    existing = client.get(metric_url("R3.confirmation_5wd", force=FORCE, body=FORCE))
    missing = client.get(metric_url("R7.vps_read", force=FORCE, body=FORCE))
    nowhere = client.get(metric_url("R3.confirmation_5wd", force="E23000001", body="E23000001"))
    assert existing.status_code == missing.status_code == nowhere.status_code == 403
    main = [
        re.search(r"<main.*</main>", page.content.decode(), re.S).group(0)
        for page in (existing, missing, nowhere)
    ]
    assert main[0] == main[1] == main[2]  # the same page (its script nonces aside)
    refused = AuditEvent.objects.filter(action="access.refused", outcome="refused").order_by("pk")
    assert [(event.target, event.detail) for event in refused] == [
        ("/compliance/R3.confirmation_5wd/", {"body": FORCE, "force": FORCE}),
        ("/compliance/R7.vps_read/", {"body": FORCE, "force": FORCE}),
        ("/compliance/R3.confirmation_5wd/", {"body": "E23000001", "force": "E23000001"}),
    ]
    # Their own body's figure that does not exist is simply not there.
    assert client.get(metric_url("R7.vps_read", force=FORCE, body=WCU)).status_code == 404


def test_who_may_open_a_figure_is_exactly_who_sees_it_in_the_list(bodies):
    from datetime import date
    from itertools import product

    from django.utils import timezone

    from compliance.models import ComputationRun, MetricResult
    from compliance.queries import may_see, visible

    people.organisation("E23000035", name="Devon and Cornwall")
    people.organisation("CPS-SW", kind="cps_area", name="CPS South West", forces=[FORCE, "E23000035"])
    run = ComputationRun.objects.create(
        period="2025-26 Q1", periods=["2025-26 Q1"], cutoff=date(2025, 8, 15), as_of=timezone.now(),
        standard_version="1", engine="duckdb", requested_by_label="test",
    )  # fmt: skip
    pairs = list(product([FORCE, "E23000035", "ALL"], [FORCE, "E23000035", "CPS-SW", WCU, "ALL"]))
    for force, body in pairs:
        MetricResult.objects.create(
            run=run, metric="R6.decision_5wd", force=force, body=body, period="2025-26 Q1", breakdown="all",
            breakdown_value="all", source="events", numerator=1, denominator=2,
        )  # fmt: skip
    users = [
        people.user("analyst", role=Role.ANALYST, organisation_code=FORCE),
        people.user("wcu", role=Role.ANALYST, organisation_code=WCU),
        people.user("cps", role=Role.SUBMITTER, organisation_code="CPS-SW"),
        people.user("pcc", role=Role.LOCAL_REVIEWER, organisation_code="LPB-E23000036"),
        people.user("nat", role=Role.NATIONAL_ANALYST, organisation_code="MOJ"),
    ]
    for user in users:
        seen = set(visible(user, MetricResult.objects.all()).values_list("force", "body"))
        assert seen == {(f, b) for f, b in pairs if may_see(user, force=f, body=b)}, user.username


@pytest.mark.parametrize(
    ("asked", "field", "message"),
    [
        ({"metric": "NOPE"}, "metric", "NOPE is not a metric: choose one from the list"),
        ({"force": "NOPE"}, "force", "NOPE is not an area: choose one from the list"),
    ],
)
def test_an_unknown_metric_or_area_in_the_address_is_said_beside_its_filter(
    client, computed, asked, field, message
):
    signed_in(client, "police", role=Role.ANALYST, organisation=FORCE)
    page = client.get(reverse("compliance:index"), {"period": "2025-26 Q1", **asked})
    text = page.content.decode()
    assert "<title>Error: Compliance with the Victims' Code" in text
    assert f'<li><a href="#{field}">{message}</a></li>' in text  # the error summary, linked to the filter
    assert (
        f'<p id="{field}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> '
        f"{message}</p>" in text
    )
    assert (
        f'class="govuk-select govuk-select--error" id="{field}" name="{field}" aria-describedby="{field}-error"'
        in text
    )
    assert "There are no figures for the bodies you can see" not in text and not figure_rows(text)


def test_a_known_area_with_nothing_to_see_is_not_an_error(client, computed):
    signed_in(client, "police", role=Role.ANALYST, organisation=FORCE)
    text = client.get(
        reverse("compliance:index"),
        {"period": "2025-26 Q1", "metric": "DQ.unknown_crime", "force": "E23000001"},
    ).content.decode()
    assert "There is a problem" not in text
    assert "There are no figures for the bodies you can see in this quarter." in text
