"""The minimum dataset, published for the bodies that submit data. Public pages: the standard holds no personal data."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from analytics.schemas import condition_text, csv_template, table_schema, xlsx_template
from analytics.standard import RECORDING_BODY
from standard import queries
from standard.examples import worked_example
from standard.models import BodyType, Code, CodeVersion, Metric, Right, Table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _version(request: HttpRequest) -> CodeVersion:
    try:
        return queries.current_version(request.GET.get("version"))
    except CodeVersion.DoesNotExist:
        raise Http404(_("No such version of the minimum dataset.")) from None


def _crime_fields() -> dict[str, str]:
    return {
        "crime.reported_at": _("the crime is first reported to the police (reported_at in the crimes table)"),
        "crime.recorded_at": _("the crime is recorded (recorded_at in the crimes table)"),
    }


def _responsible_label(body_type: str) -> str:
    # A police duty falls on the force the crime belongs to (its `force` code), which is BTP or MDP for the crimes
    # those forces record: not only on the territorial forces that the police_force body type names.
    if body_type == RECORDING_BODY:
        return _("The body that recorded it: each body counts the complaints made to it")
    if body_type == BodyType.POLICE_FORCE:
        return _(
            "The crime's police force: the territorial force of its area, or British Transport Police or "
            "the Ministry of Defence Police for the crimes they record"
        )
    return str(BodyType(body_type).label)


@login_not_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    code_version = _version(request)
    return render(
        request,
        "standard/index.html",
        {
            "code_version": code_version,
            "versions": queries.code_versions(),
            "rights": queries.rights(code_version),
            "tables": queries.tables(code_version),
            "codelists": queries.codelist_names(code_version),
        },
    )


@login_not_required
@require_safe
def right_detail(request: HttpRequest, number: int) -> HttpResponse:
    code_version = _version(request)
    try:
        right = queries.right(code_version, number)
    except Right.DoesNotExist:
        raise Http404(_("There is no such right.")) from None
    return render(request, "standard/right.html", {"code_version": code_version, "right": right})


@login_not_required
@require_safe
def metric_detail(request: HttpRequest, code: str) -> HttpResponse:
    code_version = _version(request)
    try:
        metric = queries.metric(code_version, code)
    except Metric.DoesNotExist:
        raise Http404(_("There is no such metric.")) from None
    definition = queries.standard_files(code_version).metrics[metric.code]
    event_types = queries.event_types(code_version, [metric.trigger, *metric.responses])
    crime_fields = _crime_fields()
    trigger = event_types.get(metric.trigger)
    detail_labels: dict[str, str] = {}
    for event_type in event_types.values():
        if event_type.detail_codelist:
            detail_labels.update(queries.labels(code_version, event_type.detail_codelist))
    responsible = [
        {
            "label": _responsible_label(body_type),
            "condition": (
                None
                if definition.responsible_detail is None
                else detail_labels.get(definition.responsible_detail, definition.responsible_detail)
                if index == 0
                else _("otherwise")
            ),
        }
        for index, body_type in enumerate(definition.responsible_body_types)
    ]
    example = (
        worked_example(
            unit=metric.deadline_unit, deadline=metric.deadline, enhanced_deadline=metric.enhanced_deadline
        )
        if metric.kind == "obligation" and metric.deadline is not None
        else None
    )
    return render(
        request,
        "standard/metric.html",
        {
            "code_version": code_version,
            "metric": metric,
            "trigger_text": crime_fields.get(metric.trigger)
            or (trigger.description if trigger else metric.trigger),
            "trigger_event": trigger,
            # A response that is a column of the crimes table is named in words, as a trigger is; an event type is
            # named in words and by its code, which is what a file holds.
            "responses": [
                {"code": None, "text": crime_fields[code]}
                if code in crime_fields
                else {"code": code, "text": getattr(event_types.get(code), "description", code)}
                for code in metric.responses
            ],
            "responsible": responsible,
            "example": example,
        },
    )


@login_not_required
@require_safe
def table_detail(request: HttpRequest, name: str) -> HttpResponse:
    code_version = _version(request)
    try:
        table = queries.table(code_version, name)
    except Table.DoesNotExist:
        raise Http404(_("There is no such table.")) from None
    # An event's detail comes from the code list of its type: listed on the detail column's row.
    detail_takers = queries.event_types_taking_detail(code_version) if name == "events" else []
    columns = [
        {
            "column": column,
            "condition": condition_text(column.required_when) if column.required_when else "",
            "detail_takers": detail_takers if column.name == "detail" else [],
        }
        for column in table.columns.all()
    ]
    return render(
        request,
        "standard/table.html",
        {"code_version": code_version, "table": table, "columns": columns},
    )


@login_not_required
@require_safe
def codelist_detail(request: HttpRequest, name: str) -> HttpResponse:
    code_version = _version(request)
    try:
        codes = queries.codelist(code_version, name)
    except Code.DoesNotExist:
        raise Http404(_("There is no such code list.")) from None
    detail_takers = queries.event_types_taking_detail(code_version)
    # The event types' list shows the detail codes each type takes; a list of detail codes, the types taking it.
    details: dict[str, dict[str, Any]] = {}
    if name == "event_type":
        detail_codes = queries.codes_of(code_version, [taker.detail_codelist for taker in detail_takers])
        details = {
            taker.code: {"codelist": taker.detail_codelist, "codes": detail_codes[taker.detail_codelist]}
            for taker in detail_takers
        }
    return render(
        request,
        "standard/codelist.html",
        {
            "code_version": code_version,
            "name": name,
            "rows": [{"code": code, "detail": details.get(code.code)} for code in codes],
            "grouped": any(code.group for code in codes),
            "with_details": bool(details),
            "used_by": queries.columns_using(code_version, name),
            "detail_of": [taker for taker in detail_takers if taker.detail_codelist == name],
        },
    )


@login_not_required
@require_safe
def body_list(request: HttpRequest) -> HttpResponse:
    code_version = _version(request)
    bodies = list(queries.bodies(version=code_version.version))
    groups = [
        {"label": label, "bodies": [body for body in bodies if body.body_type == value]}
        for value, label in BodyType.choices
    ]
    return render(request, "standard/bodies.html", {"code_version": code_version, "groups": groups})


def _table_files(request: HttpRequest, name: str) -> tuple[Any, Any]:
    code_version = _version(request)
    standard = queries.standard_files(code_version)
    if name not in standard.tables:
        raise Http404(_("There is no such table."))
    return standard, standard.tables[name]


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_not_required
@require_safe
def schema_json(request: HttpRequest, name: str) -> HttpResponse:
    standard, table = _table_files(request, name)
    content = json.dumps(table_schema(standard, table.name), indent=2, ensure_ascii=False).encode("utf-8")
    response = HttpResponse(content, content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="{table.name}.schema.json"'
    return response


@login_not_required
@require_safe
def template_csv(request: HttpRequest, name: str) -> HttpResponse:
    _standard, table = _table_files(request, name)
    return _download(csv_template(table), "text/csv; charset=utf-8", f"{table.name}.csv")


@login_not_required
@require_safe
def template_xlsx(request: HttpRequest, name: str) -> HttpResponse:
    standard, table = _table_files(request, name)
    return _download(xlsx_template(standard, table), XLSX_TYPE, f"{table.name}.xlsx")
