"""Reads of stored compliance results, always through the role checks in `accounts.access`."""

from django.db.models import Q, QuerySet

from accounts.access import area_force_codes, can_view_national, visible_body_codes
from accounts.models import Role, User
from analytics.metrics.periods import parse_period
from analytics.metrics.sql import ALL
from compliance.models import ComputationRun, MetricResult


def newest_runs() -> dict[str, int]:
    """Every quarter any run computed, with the newest run that computed it (asked for it, or computed it for
    a trend), so an old quarter never drops out of reach however many runs came after it.

    A run asked for a quarter computes the same quarters as every other run asked for it, so the newest run
    holding a quarter is among the newest run of each quarter asked for: one row per quarter ever asked for
    is read, each through an index, not every run (there is a run after almost every submission)."""
    runs = ComputationRun.objects.order_by("-finished_at", "-id")
    asked = ComputationRun.objects.order_by("period").values_list("period", flat=True).distinct()
    newest = [
        runs.filter(period=period).values_list("id", "period", "periods", "finished_at")[0]
        for period in asked
    ]
    latest: dict[str, int] = {}
    for pk, period, periods, _finished in sorted(newest, key=lambda run: (run[3], run[0]), reverse=True):
        for quarter in [period, *(periods or [])]:
            latest.setdefault(quarter, pk)
    return latest


def latest_run(period: str, newest: dict[str, int] | None = None) -> ComputationRun | None:
    """The most recent run that computed `period`, whether asked for it or computed it for a trend.
    `newest` is `newest_runs()` when the caller has already read it."""
    run_id = (newest if newest is not None else newest_runs()).get(period)
    return None if run_id is None else ComputationRun.objects.get(pk=run_id)


def runs_in_use() -> set[int]:
    """The runs the pages, the downloads and `justice-journey metrics` read: the newest of each quarter."""
    return set(newest_runs().values())


def quarters_with_figures(newest: dict[str, int] | None = None) -> list[str]:
    """Every quarter whose latest run (`latest_run`) holds figures for it, newest quarter first.

    By quarter, not by when it ran: a quarter computed again last, or an empty run (a quarter with no data
    yet), never hides the newest figures.
    """
    latest = newest if newest is not None else newest_runs()
    held = [
        period
        for period, run_id in latest.items()
        if MetricResult.objects.filter(run_id=run_id, period=period).exists()
    ]
    return sorted(held, key=parse_period, reverse=True)


def figures(
    run: ComputationRun,
    *,
    period: str | None = None,
    metric: str | None = None,
    body: str | None = None,
    force: str | None = None,
    breakdown: str | None = None,
) -> QuerySet[MetricResult]:
    results = MetricResult.objects.filter(run=run)
    for field, value in (
        ("period", period),
        ("metric", metric),
        ("body", body),
        ("force", force),
        ("breakdown", breakdown),
    ):
        if value is not None:
            results = results.filter(**{field: value})
    return results


# The figures a user may see, as (bodies, areas) pairs: a figure is theirs to see when its body is among one
# pair's bodies and its area among that pair's areas (any area, for None). None for everything.
Remit = list[tuple[frozenset[str], frozenset[str] | None]] | None


def _remit(user: User) -> Remit:
    """Their bodies' figures; a local reviewer their areas' bodies and totals, in their own areas; a national
    analyst everything. National totals are the comparator for every figure and visible to all."""
    if can_view_national(user):
        return None
    codes = visible_body_codes(user)
    if not codes:
        return []
    national = (frozenset({ALL}), frozenset({ALL}))
    if user.role == Role.LOCAL_REVIEWER:
        # A body that serves several areas (a CPS area, a probation region) is shown for the reviewer's own
        # areas and as a whole, never for another local policing body's area.
        forces = area_force_codes(user)
        return [(codes, forces | {ALL}), national, (frozenset({ALL}), forces)]
    return [(codes, None), national]


def visible(user: User, results: QuerySet[MetricResult]) -> QuerySet[MetricResult]:
    """What `user` may see of `results` (see `_remit`)."""
    remit = _remit(user)
    if remit is None:
        return results
    if not remit:
        return results.none()
    allowed = Q()
    for bodies, areas in remit:
        allowed |= Q(body__in=bodies) & (Q() if areas is None else Q(force__in=areas))
    return results.filter(allowed)


def may_see(user: User, *, force: str, body: str) -> bool:
    """Whether a figure of `body` in `force` would be `user`'s to see, whether or not there is one: asked of
    the address alone, so that a refusal never tells that another body's figure exists."""
    remit = _remit(user)
    return remit is None or any(
        body in bodies and (areas is None or force in areas) for bodies, areas in remit
    )


def listed(user: User, results: QuerySet[MetricResult]) -> QuerySet[MetricResult]:
    """The figures a user's list holds: what they may see, and the England and Wales figures only for those
    whose remit is national (for others they are the comparison beside each figure)."""
    if not can_view_national(user):
        results = results.exclude(force=ALL, body=ALL)
    return visible(user, results)


def narrowed(results: QuerySet[MetricResult], *, metric: str = "", force: str = "") -> QuerySet[MetricResult]:
    """Only one metric and one area, where given (`force` ALL: the totals over every area)."""
    if metric:
        results = results.filter(metric=metric)
    if force:
        results = results.filter(force=force)
    return results


def choices(results: QuerySet[MetricResult]) -> tuple[list[str], list[str]]:
    """The metrics and the areas (`ALL` last, where present) that `results` hold, for the page's filters."""
    metrics = sorted(set(results.order_by().values_list("metric", flat=True).distinct()))
    areas = set(results.order_by().values_list("force", flat=True).distinct())
    return metrics, sorted(areas - {ALL}) + ([ALL] if ALL in areas else [])


def can_see_results(user: User) -> bool:
    return bool(can_view_national(user) or visible_body_codes(user))


def trend_series(run: ComputationRun, *, metric: str, force: str, body: str) -> list[MetricResult]:
    """The whole-figure (`all`) rows of one metric for one area and body, oldest quarter first."""
    rows = list(figures(run, metric=metric, force=force, body=body, breakdown="all"))
    order = {period: index for index, period in enumerate(run.periods or [])}
    return sorted(rows, key=lambda row: order.get(row.period, len(order)))
