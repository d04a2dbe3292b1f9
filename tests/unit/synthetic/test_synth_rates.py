"""The generated journeys look like England and Wales: observed rates near the targets in the domain facts."""

from datetime import date, timedelta

import duckdb
import pytest

from synthetic.generator import targets


def measured(run) -> dict[str, float]:
    con = duckdb.connect()
    bodies = run / "bodies"
    # Every file of a table has the same header, so DuckDB need not read each one's to line them up (which took
    # five times as long).
    con.execute(f"create table crimes as select * from read_csv('{bodies}/*/crimes-*.csv', all_varchar=true)")
    con.execute(f"create table events as select * from read_csv('{bodies}/*/events-*.csv', all_varchar=true)")
    old_enough = (date(2025, 4, 1) - timedelta(days=180)).isoformat()

    def one(sql: str) -> float:
        return float(con.execute(sql).fetchone()[0])

    with_events = "force <> 'MDP'"  # MDP sends returns, not events
    crimes = one(f"select count(*) from crimes where {with_events}")
    outcome = (
        "select avg(case when {condition} then 1.0 else 0.0 end) from crimes "
        f"where substr(recorded_at, 1, 10) < '{old_enough}'"
    )
    decisions = one("select count(*) from events where event_type = 'decision_not_to_proceed'")
    return {
        "charged": one(outcome.format(condition="outcome_type = '1'")),
        "no suspect (18)": one(outcome.format(condition="outcome_type = '18'")),
        "victim does not support (14+16)": one(outcome.format(condition="outcome_type in ('14', '16')")),
        "evidential difficulties (15)": one(outcome.format(condition="outcome_type = '15'")),
        "not yet assigned": one(outcome.format(condition="outcome_type is null")),
        "violence": one(
            "select avg(case when offence_group in ('violence', 'VAP') then 1.0 else 0 end) from crimes"
        ),
        "enhanced": one("select avg(case when enhanced_rights = 'Y' then 1.0 else 0 end) from crimes"),
        "domestic abuse": one("select avg(case when domestic_abuse = 'Y' then 1.0 else 0 end) from crimes"),
        "vps offered": one(
            "select count(*) from (select distinct force, crime_ref, person_ref from events "
            "where event_type = 'vps_offered')"
        )
        / crimes,
        "vrr requested": one("select count(*) from events where event_type = 'vrr_requested'") / decisions,
        "vrr overturned": one(
            "select avg(case when detail = 'overturned' then 1.0 else 0 end) from events where event_type = 'vrr_decided'"
        ),
        "events per crime": one("select count(*) from events") / crimes,
        "sexual offences per national year": one(
            "select count(*) from crimes where offence_group in ('sexual', 'SXO')"
        )
        / 0.01,
    }


@pytest.mark.slow
def test_observed_rates_are_near_the_targets(rates_run):
    observed = measured(rates_run)
    expected = {
        "charged": (targets.CHARGED_SHARE, 0.02),
        "no suspect (18)": (targets.NO_SUSPECT_SHARE, 0.03),
        "victim does not support (14+16)": (targets.VICTIM_DOES_NOT_SUPPORT_SHARE, 0.03),
        "evidential difficulties (15)": (targets.EVIDENTIAL_DIFFICULTIES_SHARE, 0.02),
        "not yet assigned": (targets.NOT_YET_ASSIGNED_SHARE, 0.02),
        "violence": (targets.VIOLENCE_SHARE, 0.02),
        "enhanced": (targets.ENHANCED_SHARE, 0.04),
        "domestic abuse": (targets.DOMESTIC_ABUSE_SHARE, 0.03),
        "vps offered": (targets.VPS_OFFERED_SHARE, 0.03),
        "vrr requested": (targets.VRR_REQUEST_RATE, 0.005),
        "vrr overturned": (targets.VRR_OVERTURNED_RATE, 0.05),
        "events per crime": (targets.EVENTS_PER_CRIME, 1.0),
        "sexual offences per national year": (200_000, 25_000),
    }
    print()
    for name, value in observed.items():
        target, tolerance = expected[name]
        print(f"{name:<36} observed {value:>10.3f}   target {target:>10.3f} ± {tolerance}")
    misses = {
        name: value for name, value in observed.items() if abs(value - expected[name][0]) > expected[name][1]
    }
    assert misses == {}
