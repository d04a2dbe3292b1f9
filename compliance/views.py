from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.access import RESULT_ROLES, refuse, role_required
from accounts.models import Role
from analytics.metrics import metric_infos
from analytics.metrics.catalogue import COUNT
from analytics.metrics.periods import PeriodError, parse_period
from compliance import display, export, queries
from compliance.charts import Point, count_chart, trend_chart
from compliance.forms import FigureFilterForm
from compliance.labels import Labels, labels_for, metric_title
from compliance.models import ComputationRun, MetricResult
from compliance.work import STALLED_AFTER, current_work
from config.paging import paged

ALL = "ALL"
# Figures on one page of the list: all of a body's or an area's; a national analyst's list runs to pages.
FIGURES_PER_PAGE = 200


def _period_and_run(
    request: HttpRequest, newest: dict[str, int] | None = None, quarters: list[str] | None = None
) -> tuple[str, ComputationRun | None]:
    """The quarter asked for, or else the newest quarter with figures, and the latest run that computed it.
    `newest` and `quarters` are `queries.newest_runs()` and `queries.quarters_with_figures()` when the caller
    has read them already: every run is read once a request."""
    newest = queries.newest_runs() if newest is None else newest
    period = request.GET.get("period", "").strip()
    if period:
        try:
            parse_period(period)
        except PeriodError:
            raise Http404(_("There is no such period.")) from None
        return period, queries.latest_run(period, newest)
    quarters = queries.quarters_with_figures(newest) if quarters is None else quarters
    if quarters:
        return quarters[0], queries.latest_run(quarters[0], newest)
    run = ComputationRun.objects.first()
    return (run.period if run else ""), run


@role_required(*RESULT_ROLES)
def index(request: HttpRequest) -> HttpResponse:
    newest = queries.newest_runs()
    quarters = queries.quarters_with_figures(newest)
    period, run = _period_and_run(request, newest, quarters)
    if period and period not in quarters:
        quarters = sorted([period, *quarters], key=parse_period, reverse=True)
    chosen_metric = request.GET.get("metric", "").strip()
    chosen_area = request.GET.get("force", "").strip()
    infos = metric_infos()
    rows: list[display.Row] = []
    metrics: list[str] = []
    areas: list[str] = []
    labels = None
    form = None
    if run is not None:
        labels = labels_for(run.standard_version)
        form, visible, metrics, areas = _filters(request, run, period, infos=infos, labels=labels)
        if form.is_valid():  # an unknown metric or area is said beside its filter, with no figures
            visible = queries.narrowed(visible, metric=chosen_metric, force=chosen_area)
            rows = display.figure_rows(visible, infos, labels)
    listed = paged(request, rows, FIGURES_PER_PAGE)
    return render(
        request,
        "compliance/index.html",
        {
            "period": period,
            "quarters": quarters,
            "run": run,
            "rows": listed["page"].object_list,
            **listed,
            "metric_choices": display.metric_choices(metrics, infos),
            "area_choices": display.area_choices(areas, labels) if labels else [],
            "show_filters": len(metrics) > 1 or len(areas) > 1 or bool(form and form.errors),
            "form": form,
            "chosen_metric": chosen_metric,
            "chosen_area": chosen_area,
        },
    )


def _filters(
    request: HttpRequest, run: ComputationRun, period: str, *, infos: Iterable[str], labels: Labels
) -> tuple[FigureFilterForm, QuerySet[MetricResult], list[str], list[str]]:
    """The quarter's figures the user's list holds, their metrics and areas, and the metric and area the address
    asks for, checked against every metric and area there is and those of the figures seen."""
    visible = queries.listed(request.user, queries.figures(run, period=period, breakdown="all"))  # type: ignore[arg-type]
    metrics, areas = queries.choices(visible)
    form = FigureFilterForm(
        {"metric": request.GET.get("metric", "").strip(), "force": request.GET.get("force", "").strip()},
        metrics=sorted({*infos, *metrics}),
        areas=sorted({*labels.areas, ALL, *areas}),
    )
    return form, visible, metrics, areas


@role_required(*RESULT_ROLES)
@require_safe
def download(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The listed figures, with every breakdown, as CSV (the columns of `justice-journey metrics`).
    An unknown metric or area is refused with what the page would say beside its filter, never an empty file."""
    period, run = _period_and_run(request)
    if run is None:
        raise Http404(_("No figures have been computed for this period."))
    form, _visible, _metrics, _areas = _filters(
        request, run, period, infos=metric_infos(), labels=labels_for(run.standard_version)
    )
    if not form.is_valid():
        said = [str(error) for errors in form.errors.values() for error in errors]
        return HttpResponse("\n".join(said) + "\n", status=400, content_type="text/plain; charset=utf-8")
    lines = export.download(
        request.user,  # type: ignore[arg-type]
        run,
        period=period,
        metric=form.cleaned_data["metric"],
        force=form.cleaned_data["force"],
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="compliance-{period.replace(" ", "-")}.csv"'
    return response


@role_required(*RESULT_ROLES)
def metric(request: HttpRequest, metric_id: str) -> HttpResponse:
    info = metric_infos().get(metric_id)
    if info is None:
        raise Http404(_("There is no such metric."))
    force = request.GET.get("force", ALL)
    body = request.GET.get("body", ALL)
    # Refused from the address alone, before anything is read: the same answer whether or not the figure exists.
    if not queries.may_see(request.user, force=force, body=body):  # type: ignore[arg-type]
        return refuse(
            request, reason="compliance figures of another body", detail={"body": body, "force": force}
        )
    period, run = _period_and_run(request)
    if run is None:
        raise Http404(_("No figures have been computed for this period."))
    whole = queries.figures(run, period=period, metric=metric_id, force=force, body=body)
    breakdowns = list(queries.visible(request.user, whole))  # type: ignore[arg-type]
    figure = next((row for row in breakdowns if row.breakdown == "all"), None)
    if figure is None:
        raise Http404(_("There is no such figure."))
    labels = labels_for(run.standard_version)
    series = queries.trend_series(run, metric=metric_id, force=force, body=body)
    title = metric_title(metric_id, info)
    is_count = info.kind == COUNT
    if is_count:
        # A count has no rate, interval or comparison: the chart and the table beside it give the count.
        chart = count_chart(
            [(row.period, row.numerator) for row in series],
            title=_("%(metric)s by quarter") % {"metric": title},
        )
    else:
        chart = trend_chart(
            [Point(row.period, row.rate, row.ci95_low, row.ci95_high) for row in series],
            title=_("%(metric)s by quarter, with 95%% intervals") % {"metric": title},
        )
    return render(
        request,
        "compliance/metric.html",
        {
            "info": info,
            "title": title,
            "run": run,
            "period": period,
            "figure": figure,
            "is_count": is_count,
            "is_national": figure.force == ALL and figure.body == ALL,
            "series": series,
            "chart": chart,
            "area": labels.area_of(figure.force, figure.body),
            "body": labels.body(figure.body),
            "similar_group": labels.similar_group(figure.similar_group),
            "breakdowns": display.breakdown_groups(breakdowns, labels),
        },
    )


@role_required(Role.ADMINISTRATOR, Role.NATIONAL_ANALYST)
@require_safe
def computations(request: HttpRequest) -> HttpResponse:
    """The background worker's queue and the computations stored, newest first."""
    return render(
        request,
        "compliance/computations.html",
        {"work": current_work(), "stalled_minutes": int(STALLED_AFTER.total_seconds() // 60)},
    )
