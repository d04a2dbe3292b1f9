from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.access import RESULT_ROLES, refuse, role_required
from analytics.metrics import metric_infos
from analytics.metrics.periods import PeriodError, parse_period
from compliance import queries
from compliance.charts import Point, trend_chart
from compliance.models import ComputationRun, MetricResult

ALL = "ALL"


def _period_and_run(request: HttpRequest) -> tuple[str, ComputationRun | None]:
    period = request.GET.get("period", "").strip()
    if period:
        try:
            parse_period(period)
        except PeriodError:
            raise Http404(_("There is no such period.")) from None
        return period, queries.latest_run(period)
    run = ComputationRun.objects.first()
    return (run.period if run else ""), run


@role_required(*RESULT_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    period, run = _period_and_run(request)
    chosen_metric = request.GET.get("metric", "").strip()
    chosen_area = request.GET.get("force", "").strip()
    rows: list[MetricResult] = []
    metrics: list[str] = []
    areas: list[str] = []
    if run is not None:
        results = queries.figures(run, period=period, breakdown="all").exclude(force=ALL, body=ALL)
        visible = queries.visible(request.user, results)  # type: ignore[arg-type]
        metrics, areas = queries.choices(visible)
        if chosen_metric:
            visible = visible.filter(metric=chosen_metric)
        if chosen_area:
            visible = visible.filter(force=chosen_area)
        rows = list(visible)
    infos = metric_infos()
    national = {}
    if run is not None:
        national = {
            r.metric: r for r in queries.figures(run, period=period, breakdown="all", force=ALL, body=ALL)
        }
    return render(
        request,
        "compliance/index.html",
        {
            "period": period,
            "run": run,
            "rows": [(row, infos.get(row.metric)) for row in rows],
            "national": national,
            "metric_choices": [
                (metric, infos[metric].title if metric in infos else metric) for metric in metrics
            ],
            "area_choices": areas,
            "chosen_metric": chosen_metric,
            "chosen_area": chosen_area,
        },
    )


@role_required(*RESULT_ROLES)
def metric(request: HttpRequest, metric_id: str) -> HttpResponse:
    info = metric_infos().get(metric_id)
    if info is None:
        raise Http404(_("There is no such metric."))
    period, run = _period_and_run(request)
    if run is None:
        raise Http404(_("No figures have been computed for this period."))
    force = request.GET.get("force", ALL)
    body = request.GET.get("body", ALL)
    whole = queries.figures(run, period=period, metric=metric_id, force=force, body=body)
    visible = queries.visible(request.user, whole)  # type: ignore[arg-type]
    if whole.exists() and not visible.exists():
        return refuse(
            request, reason="compliance figures of another body", detail={"body": body, "force": force}
        )
    breakdowns = list(visible.order_by("breakdown", "breakdown_value"))
    figure = next((row for row in breakdowns if row.breakdown == "all"), None)
    if figure is None:
        raise Http404(_("There is no such figure."))
    series = queries.trend_series(run, metric=metric_id, force=force, body=body)
    chart = trend_chart(
        [Point(row.period, row.rate, row.ci95_low, row.ci95_high) for row in series],
        title=_("%(metric)s by quarter, with 95%% intervals") % {"metric": info.title},
    )
    return render(
        request,
        "compliance/metric.html",
        {
            "info": info,
            "run": run,
            "period": period,
            "figure": figure,
            "series": series,
            "chart": chart,
            "breakdowns": [row for row in breakdowns if row.breakdown != "all"],
        },
    )
