"""The metric SQL, one step per function. Every function returns a SELECT in the subset of SQL that DuckDB
and Spark read alike; the few dialect differences go through `Dialect`.

Relations read: the contract views `crimes`, `events`, `victims`, `returns`, and the reference tables the
pipeline loads first: `jj_calendar(day, wd_index, is_working, period)`, `jj_workdays(wd_index, day)`,
`jj_forces(code, local_policing_body, cps_area, probation_region, witness_care_unit)`, `jj_obligation_rules(metric,
deadline_unit, deadline, enhanced_deadline, kind, when_detail, then_kind)`, `jj_periods(period)`,
`jj_event_types(event_type, type_no)` (the event types the metrics read, numbered).
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from analytics.metrics.backends import Dialect
from analytics.metrics.catalogue import Metric
from analytics.metrics.literals import date_literal, quote
from analytics.metrics.quality import QUALITY_METRICS

CRIME_KEY = ("force", "crime_ref", "person_ref")
CHARACTERISTICS = (
    "offence_group",
    "enhanced_rights",
    "domestic_abuse",
    "sex",
    "age_band",
    "ethnic_group",
    "disability",
)
BREAKDOWNS = ("all", *CHARACTERISTICS)
ALL = "ALL"
COUNT_COLUMNS = ("met", "late", "missed", "pending", "numerator", "denominator")


def in_list(values: Iterable[str]) -> str:
    return "(" + ", ".join(quote(v) for v in sorted(set(values))) + ")"


def of_types(alias: str, event_types: Iterable[str]) -> str:
    """A condition: the event `alias` of `jj_events` is of one of `event_types`. Events carry their type as a
    number (`jj_event_types`), several times quicker to filter on than the name."""
    return (
        f"{alias}.type_no IN (SELECT type_no FROM jj_event_types WHERE event_type IN {in_list(event_types)})"
    )


def key_join(left: str, right: str) -> str:
    return " AND ".join(f"{left}.{column} = {right}.{column}" for column in CRIME_KEY)


def characteristics_sql(crime: str) -> str:
    return ", ".join(f"{crime}.{column}" for column in CHARACTERISTICS)


def no_characteristics_sql() -> str:
    return ", ".join(f"CAST(NULL AS STRING) AS {column}" for column in CHARACTERISTICS)


def responsible_body_sql(kind: str, *, force: str, trigger_body: str, response_body: str) -> str:
    """The body that owes the duty. A youth justice service that sent the trigger or the response takes the
    probation duty (offenders under 18); an area with no Witness Care Unit, CPS area or probation region in the
    reference list (BTP, MDP) falls back to the body that sent the trigger. `recording_body` is the body that
    sent the trigger (for a count, the event counted)."""
    return (
        f"CASE {kind}"
        f" WHEN 'police_force' THEN {force}"
        f" WHEN 'witness_care_unit' THEN COALESCE(NULLIF(f.witness_care_unit, ''), {trigger_body})"
        f" WHEN 'cps_area' THEN COALESCE(NULLIF(f.cps_area, ''), {trigger_body})"
        f" WHEN 'probation_region' THEN CASE WHEN {trigger_body} LIKE 'YJS-%' THEN {trigger_body}"
        f" WHEN {response_body} LIKE 'YJS-%' THEN {response_body}"
        f" ELSE COALESCE(NULLIF(f.probation_region, ''), {trigger_body}) END"
        f" WHEN 'youth_justice_service' THEN {trigger_body}"
        f" WHEN 'recording_body' THEN {trigger_body}"
        f" WHEN 'hmcts' THEN 'HMCTS' END"
    )


def crimes_sql() -> str:
    """Each crime row with its ethnic group; the pipeline numbers the rows (`crime_id`), so later steps join
    and sort on one integer."""
    return "SELECT c.*, CASE WHEN c.ethnicity = 'NS' THEN 'NS' ELSE substr(c.ethnicity, 1, 1) END AS ethnic_group FROM crimes c"


def events_sql() -> str:
    """Every event, from one join with the crimes: once per crime row it belongs to (`crime_id` set, and
    whether it is dated before that crime was reported) or, when its crime is not known, once with `crime_id`
    empty. An event of a type the metrics read carries that type's number (`type_no`, from `jj_event_types`);
    the others (`sentenced`, `victim_withdrew`, ...) have none and count only in the data-quality figures."""
    return (
        "SELECT e.body, e.event_id, c.crime_id, e.force, t.type_no, e.occurred_at, "
        "e.occurred_on, COALESCE(e.detail, '') AS detail, COALESCE(e.seq, 0) AS seq, "
        "e.occurred_at < c.reported_at AS before_report "
        f"FROM events e LEFT JOIN jj_crimes c ON {key_join('c', 'e')} "
        "LEFT JOIN jj_event_types t ON t.event_type = e.event_type"
    )


def known_events_sql() -> str:
    """Events whose crime and victim the police have recorded; only those create or answer obligations."""
    return "SELECT * FROM jj_events WHERE crime_id IS NOT NULL"


def obligations_sql(dialect: Dialect, cutoff: date) -> str:
    """Every obligation with its deadline, status, quarter and responsible body."""
    days = "CASE WHEN ru.enhanced_deadline IS NOT NULL AND c.enhanced_rights = 'Y' THEN ru.enhanced_deadline ELSE ru.deadline END"
    deadline_at = dialect.add_hours("p.trigger_at", "ru.deadline")
    kind = "CASE WHEN ru.when_detail IS NOT NULL AND p.trigger_detail = ru.when_detail THEN ru.then_kind ELSE ru.kind END"
    body = responsible_body_sql(
        kind, force="p.force", trigger_body="p.trigger_body", response_body="p.response_body"
    )
    return (
        "SELECT d.*, CASE "
        "WHEN d.response_at IS NOT NULL AND d.on_time THEN 'met' "
        "WHEN d.response_at IS NOT NULL THEN 'late' "
        f"WHEN d.deadline_on < {date_literal(cutoff)} THEN 'missed' ELSE 'pending' END AS status "
        "FROM (SELECT p.metric, p.force, p.trigger_at, p.trigger_on, p.response_at, "
        f"p.response_on, cal.period, {body} AS body, {characteristics_sql('c')}, "
        "CASE WHEN ru.deadline_unit = 'hours' "
        f"THEN {dialect.london_date(deadline_at)} ELSE w.day END AS deadline_on, "
        "CASE WHEN ru.deadline_unit = 'hours' "
        f"THEN p.response_at <= {deadline_at} ELSE p.response_on <= w.day END AS on_time "
        "FROM jj_pairs p JOIN jj_obligation_rules ru ON ru.metric = p.metric "
        "JOIN jj_crimes c ON c.crime_id = p.crime_id "
        "JOIN jj_calendar cal ON cal.day = p.trigger_on "
        f"LEFT JOIN jj_workdays w ON ru.deadline_unit = 'working_days' AND w.wd_index = cal.wd_index + ({days}) "
        "LEFT JOIN jj_forces f ON f.code = p.force) d"
    )


def obligation_facts_sql() -> str:
    return (
        "SELECT metric, period, force, body, "
        "CASE WHEN status = 'met' THEN 1 ELSE 0 END AS met, CASE WHEN status = 'late' THEN 1 ELSE 0 END AS late, "
        "CASE WHEN status = 'missed' THEN 1 ELSE 0 END AS missed, "
        "CASE WHEN status = 'pending' THEN 1 ELSE 0 END AS pending, "
        "CASE WHEN status = 'met' THEN 1 ELSE 0 END AS numerator, "
        "CASE WHEN status = 'pending' THEN 0 ELSE 1 END AS denominator, "
        f"{', '.join(CHARACTERISTICS)}, 1 AS detailed FROM jj_obligations"
    )


_PROPORTION_COUNTS = (
    "CAST(NULL AS INTEGER) AS met, CAST(NULL AS INTEGER) AS late, CAST(NULL AS INTEGER) AS missed, "
    "CAST(NULL AS INTEGER) AS pending"
)


def _crime_body(metric: Metric, trigger_body: str = "c.body", response_body: str = "''") -> str:
    responsible = metric.responsible
    return responsible_body_sql(
        quote(responsible.kind), force="c.force", trigger_body=trigger_body, response_body=response_body
    )


def crimes_with_event_facts_sql(metric: Metric) -> str:
    """Crimes recorded in the quarter, and whether each has at least one of the metric's events, ever."""
    return (
        f"SELECT {quote(metric.id)} AS metric, cal.period, c.force, {_crime_body(metric)} AS body, "
        f"{_PROPORTION_COUNTS}, CASE WHEN x.crime_id IS NULL THEN 0 ELSE 1 END AS numerator, 1 AS denominator, "
        f"{characteristics_sql('c')}, 1 AS detailed FROM jj_crimes c "
        "JOIN jj_calendar cal ON cal.day = c.recorded_on LEFT JOIN jj_forces f ON f.code = c.force "
        "LEFT JOIN (SELECT crime_id FROM jj_known_events "
        f"WHERE {of_types('jj_known_events', metric.responses)} GROUP BY crime_id) x ON x.crime_id = c.crime_id"
    )


def vps_read_facts_sql(metric: Metric) -> str:
    """Convicted crimes with a statement made, in the quarter of the first conviction; read if a
    `vps_read_in_court` came at or after the first `vps_made`."""
    return (
        f"SELECT {quote(metric.id)} AS metric, cal.period, c.force, {_crime_body(metric)} AS body, "
        f"{_PROPORTION_COUNTS}, CASE WHEN r.crime_id IS NULL THEN 0 ELSE 1 END AS numerator, 1 AS denominator, "
        f"{characteristics_sql('c')}, 1 AS detailed "
        "FROM (SELECT crime_id, MIN(occurred_on) AS convicted_on FROM jj_known_events "
        f"WHERE {of_types('jj_known_events', ['convicted'])} GROUP BY crime_id) v "
        "JOIN (SELECT crime_id, MIN(occurred_at) AS made_at FROM jj_known_events "
        f"WHERE {of_types('jj_known_events', ['vps_made'])} GROUP BY crime_id) m ON m.crime_id = v.crime_id "
        "JOIN jj_crimes c ON c.crime_id = v.crime_id JOIN jj_calendar cal ON cal.day = v.convicted_on "
        "LEFT JOIN jj_forces f ON f.code = c.force "
        # Read at or after the first statement: the last reading is at or after it.
        "LEFT JOIN (SELECT crime_id, MAX(occurred_at) AS last_read FROM jj_known_events "
        f"WHERE {of_types('jj_known_events', metric.responses)} GROUP BY crime_id) r "
        "ON r.crime_id = v.crime_id AND r.last_read >= m.made_at"
    )


def decisions_by_request_facts_sql(metric: Metric) -> str:
    """Review decisions, each matched to its request; the request's detail names the body that decided."""
    responsible = metric.responsible
    kind = (
        f"CASE WHEN p.trigger_detail = {quote(responsible.when_detail or '')} "
        f"THEN {quote(responsible.then_kind or responsible.kind)} ELSE {quote(responsible.kind)} END"
    )
    body = responsible_body_sql(
        kind, force="c.force", trigger_body="p.trigger_body", response_body="p.response_body"
    )
    return (
        f"SELECT p.metric, cal.period, c.force, {body} AS body, {_PROPORTION_COUNTS}, "
        "CASE WHEN p.response_detail = 'overturned' THEN 1 ELSE 0 END AS numerator, 1 AS denominator, "
        f"{characteristics_sql('c')}, 1 AS detailed FROM jj_pairs p JOIN jj_crimes c ON c.crime_id = p.crime_id "
        "JOIN jj_calendar cal ON cal.day = p.response_on LEFT JOIN jj_forces f ON f.code = c.force "
        f"WHERE p.metric = {quote(metric.id)} AND p.response_at IS NOT NULL"
    )


def event_count_facts_sql(metric: Metric) -> str:
    return (
        f"SELECT {quote(metric.id)} AS metric, cal.period, c.force, "
        f"{_crime_body(metric, trigger_body='e.body', response_body='e.body')} AS body, "
        f"{_PROPORTION_COUNTS}, 1 AS numerator, 0 AS denominator, {characteristics_sql('c')}, 1 AS detailed "
        "FROM jj_known_events e JOIN jj_crimes c ON c.crime_id = e.crime_id JOIN jj_calendar cal ON cal.day = e.occurred_on "
        f"LEFT JOIN jj_forces f ON f.code = c.force WHERE {of_types('e', metric.responses)}"
    )


def _unpivot_sql(aggregate: str, counts: dict[str, tuple[str, str]]) -> str:
    """One row per metric from an aggregate that holds several metrics' counts side by side: `counts` maps
    each metric to its numerator and denominator columns in `aggregate` (which has period, force, body)."""
    names = " UNION ALL ".join(f"SELECT {quote(metric)} AS metric" for metric in counts)
    numerator = " ".join(f"WHEN {quote(metric)} THEN a.{n}" for metric, (n, _) in counts.items())
    denominator = " ".join(f"WHEN {quote(metric)} THEN a.{d}" for metric, (_, d) in counts.items())
    return (
        f"SELECT m.metric, a.period, a.force, a.body, CASE m.metric {numerator} END AS numerator, "
        f"CASE m.metric {denominator} END AS denominator FROM ({aggregate}) a CROSS JOIN ({names}) m"
    )


def _count_if(condition: str, name: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) AS {name}"


def _victim_quality_sql() -> str:
    """Victims of crimes recorded in the quarter, each once per body, area and quarter."""
    victims = (
        "SELECT DISTINCT c.body, c.force, cal.period, c.person_ref, c.sex, c.ethnicity, c.disability, "
        "v.dob_recorded FROM jj_crimes c JOIN jj_calendar cal ON cal.day = c.recorded_on "
        "LEFT JOIN victims v ON v.body = c.body AND v.person_ref = c.person_ref"
    )
    sums = [_count_if(f"NOT (x.{c} IS NULL OR x.{c} = '')", c) for c in ("sex", "ethnicity", "disability")]
    sums.append(_count_if("CAST(x.dob_recorded AS STRING) IN ('Y', 'true', '1')", "dob"))
    aggregate = (
        f"SELECT x.body, x.force, x.period, {', '.join(sums)}, COUNT(*) AS victims FROM ({victims}) x "
        "GROUP BY x.body, x.force, x.period"
    )
    return _unpivot_sql(
        aggregate,
        {
            "DQ.sex_recorded": ("sex", "victims"),
            "DQ.ethnicity_recorded": ("ethnicity", "victims"),
            "DQ.disability_recorded": ("disability", "victims"),
            "DQ.dob_recorded": ("dob", "victims"),
        },
    )


def _crime_quality_sql(cutoff: date, now: str) -> str:
    """Crimes with no outcome 90 days after recording (by quarter recorded); crimes dated in the future or
    recorded before they were reported (by quarter reported)."""
    ninety_days_before = date.fromordinal(cutoff.toordinal() - 90)
    no_outcome = (
        "SELECT c.body, c.force, cal.period, "
        f"{_count_if('c.outcome_type IS NULL OR CAST(c.outcome_type AS STRING) = ' + quote(''), 'no_outcome')}, "
        "COUNT(*) AS crimes FROM jj_crimes c JOIN jj_calendar cal ON cal.day = c.recorded_on "
        f"WHERE c.recorded_on < {date_literal(ninety_days_before)} GROUP BY c.body, c.force, cal.period"
    )
    reported = (
        "SELECT c.body, c.force, cal.period, "
        f"{_count_if(f'c.reported_at > {now} OR c.recorded_at > {now}', 'future')}, "
        f"{_count_if('c.recorded_at < c.reported_at', 'before_report')}, COUNT(*) AS crimes "
        "FROM jj_crimes c JOIN jj_calendar cal ON cal.day = c.reported_on GROUP BY c.body, c.force, cal.period"
    )
    return (
        _unpivot_sql(no_outcome, {"DQ.no_outcome_90d": ("no_outcome", "crimes")})
        + " UNION ALL "
        + _unpivot_sql(
            reported,
            {"DQ.future_timestamp": ("future", "crimes"), "DQ.before_report": ("before_report", "crimes")},
        )
    )


def _event_quality_sql(now: str) -> str:
    """Every event, by quarter: whether it is dated in the future, and whether its crime is unknown; each known
    event of any type (once per crime row it belongs to): whether it is dated before its crime was reported.
    The events are counted once each from the store; those of unknown crimes and the known ones, from
    `jj_events`."""
    events = (
        f"SELECT e.body, e.force, cal.period, {_count_if(f'e.occurred_at > {now}', 'future')}, "
        "COUNT(*) AS events, 0 AS zero FROM events e JOIN jj_calendar cal ON cal.day = e.occurred_on "
        "GROUP BY e.body, e.force, cal.period"
    )
    known = (
        f"SELECT e.body, e.force, cal.period, {_count_if('e.crime_id IS NULL', 'unknown')}, "
        f"{_count_if('e.crime_id IS NOT NULL AND e.before_report', 'before_report')}, "
        f"{_count_if('e.crime_id IS NOT NULL', 'known')}, 0 AS zero FROM jj_events e "
        "JOIN jj_calendar cal ON cal.day = e.occurred_on GROUP BY e.body, e.force, cal.period"
    )
    # An event of an unknown crime counts in the numerator here and in the denominator with every event.
    return (
        _unpivot_sql(
            events, {"DQ.unknown_crime": ("zero", "events"), "DQ.future_timestamp": ("future", "events")}
        )
        + " UNION ALL "
        + _unpivot_sql(
            known, {"DQ.unknown_crime": ("unknown", "zero"), "DQ.before_report": ("before_report", "known")}
        )
    )


def _response_quality_sql(metrics: Sequence[str]) -> str:
    """Responses with no trigger to answer, among the responses that are events (of `metrics`, the obligations
    whose response is an event). A crime's recording, R2's response, is a column of the crime row beside its
    trigger: counting it would only swell a force's denominator, and one recorded before it was reported is
    DQ.before_report's."""
    chosen = ", ".join(quote(metric) for metric in metrics) or "''"
    responses = (
        "SELECT m.body, m.force, cal.period, SUM(m.unmatched) AS unmatched, COUNT(*) AS responses "
        "FROM jj_responses m JOIN jj_calendar cal ON cal.day = m.on_date "
        f"WHERE m.metric IN ({chosen}) GROUP BY m.body, m.force, cal.period"
    )
    return _unpivot_sql(responses, {"DQ.response_without_trigger": ("unmatched", "responses")})


def quality_facts_sql(dialect: Dialect, cutoff: date, as_of: datetime, event_responses: Sequence[str]) -> str:
    """Every data-quality count per body, area and quarter. Each source (victims, crimes, events, responses)
    is read once and summed for all its metrics together; only those sums reach the union.
    `event_responses`: the obligation metrics whose responses are events."""
    now = dialect.instant(as_of)
    parts = [
        _victim_quality_sql(),
        _crime_quality_sql(cutoff, now),
        _event_quality_sql(now),
        _response_quality_sql(event_responses),
    ]
    facts = " UNION ALL ".join(parts)
    named = {text for text in facts.split("'")[1::2] if text.startswith("DQ.")}
    assert named == {metric.id for metric in QUALITY_METRICS}
    return (
        f"SELECT metric, period, force, body, {_PROPORTION_COUNTS}, SUM(numerator) AS numerator, "
        f"SUM(denominator) AS denominator, {no_characteristics_sql()}, 0 AS detailed "
        f"FROM ({facts}) q GROUP BY metric, period, force, body"
    )


def cube_sql(fact_relations: Sequence[str]) -> str:
    """All facts of the reported quarters, summed over every combination of the breakdown characteristics."""
    facts = " UNION ALL ".join(f"SELECT * FROM {relation}" for relation in fact_relations)
    sums = ", ".join(f"SUM({column}) AS {column}" for column in COUNT_COLUMNS)
    dims = "metric, period, force, body, " + ", ".join(CHARACTERISTICS) + ", detailed"
    return f"SELECT {dims}, {sums} FROM ({facts}) x WHERE x.period IN (SELECT period FROM jj_periods) GROUP BY {dims}"


def breakdowns_sql() -> str:
    """One row per breakdown and value (`all` for the whole), from events; then the returns, as `all`."""
    sums = ", ".join(f"SUM({column}) AS {column}" for column in COUNT_COLUMNS)
    parts = [
        f"SELECT metric, period, force, body, 'all' AS breakdown, 'all' AS breakdown_value, {sums}, "
        "'events' AS source FROM jj_cube GROUP BY metric, period, force, body"
    ]
    for column in CHARACTERISTICS:
        value = f"COALESCE(NULLIF({column}, ''), 'unknown')"
        parts.append(
            f"SELECT metric, period, force, body, '{column}' AS breakdown, {value} AS breakdown_value, {sums}, "
            f"'events' AS source FROM jj_cube WHERE detailed = 1 GROUP BY metric, period, force, body, {value}"
        )
    parts.append(
        "SELECT r.metric, r.period, r.force, r.body, 'all' AS breakdown, 'all' AS breakdown_value, "
        "CAST(NULL AS BIGINT) AS met, CAST(NULL AS BIGINT) AS late, CAST(NULL AS BIGINT) AS missed, "
        "CAST(NULL AS BIGINT) AS pending, CAST(SUM(r.numerator) AS BIGINT) AS numerator, "
        "CAST(SUM(r.denominator) AS BIGINT) AS denominator, 'returns' AS source FROM returns r "
        "WHERE r.period IN (SELECT period FROM jj_periods) GROUP BY r.metric, r.period, r.force, r.body"
    )
    return " UNION ALL ".join(parts)


def superseded_sql() -> str:
    """Bodies with both event-derived figures and a return for the same metric, area and quarter."""
    return (
        "SELECT DISTINCT e.body, e.metric, e.period FROM jj_breakdowns_all e JOIN jj_breakdowns_all r "
        "ON r.body = e.body AND r.force = e.force AND r.metric = e.metric AND r.period = e.period "
        "WHERE e.source = 'events' AND r.source = 'returns' ORDER BY e.body, e.metric, e.period"
    )


def returns_first_sql() -> str:
    """Every figure, except that a body's return replaces its event-derived figures (and their breakdowns)
    for that metric, area and quarter: a body that sends crimes but not yet events would otherwise also get a
    figure counted from its crimes alone. A body serving several areas keeps its figures for the others."""
    return (
        "SELECT b.* FROM jj_breakdowns_all b WHERE b.source = 'returns' OR NOT EXISTS ("
        "SELECT 1 FROM jj_breakdowns_all r WHERE r.source = 'returns' AND r.body = b.body "
        "AND r.force = b.force AND r.metric = b.metric AND r.period = b.period)"
    )


def levels_sql() -> str:
    """Each figure for the body in its area, the body over all areas, the area over all bodies, and the nation.
    Counts leave as 64-bit integers: DuckDB's sums are 128-bit, several times dearer to fetch into Python."""
    sums = ", ".join(f"CAST(SUM({column}) AS BIGINT) AS {column}" for column in COUNT_COLUMNS)
    source = "CASE WHEN MIN(source) = MAX(source) THEN MIN(source) ELSE 'mixed' END AS source"
    parts = []
    for by_force, by_body in ((True, True), (False, True), (True, False), (False, False)):
        keys = [column for column, keep in (("force", by_force), ("body", by_body)) if keep]
        force = "force" if by_force else quote(ALL)
        body = "body" if by_body else quote(ALL)
        group_by = ", ".join(["metric", "period", "breakdown", "breakdown_value", *keys])
        parts.append(
            f"SELECT metric, {force} AS force, {body} AS body, period, breakdown, breakdown_value, {sums}, {source} "
            f"FROM jj_breakdowns GROUP BY {group_by}"
        )
    return " UNION ALL ".join(parts)
