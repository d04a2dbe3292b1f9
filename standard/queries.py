"""Reads of the standard as loaded into the database, shared by the pages and other apps."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from analytics.standard import Standard, load_standard
from standard.models import Body, Code, CodeVersion, Column, EventType, Metric, Right, Table


def code_versions() -> list[CodeVersion]:
    return sorted(CodeVersion.objects.all(), key=lambda version: int(version.version))


def current_version(version: str | None = None) -> CodeVersion:
    """The named Code version, or the newest loaded; raises CodeVersion.DoesNotExist if there is none."""
    if version:
        return CodeVersion.objects.get(version=version)
    versions = code_versions()
    if not versions:
        raise CodeVersion.DoesNotExist(
            "No Code version has been loaded (run `justice-journey load_standard`)."
        )
    return versions[-1]


def standard_files(code_version: CodeVersion) -> Standard:
    """The same version read from its files, for the generated downloads."""
    return load_standard(code_version.version)


def rights(code_version: CodeVersion) -> QuerySet[Right]:
    return Right.objects.filter(code_version=code_version).prefetch_related(
        Prefetch("metrics", queryset=Metric.objects.order_by("position"))
    )


def right(code_version: CodeVersion, number: int) -> Right:
    return (
        Right.objects.filter(code_version=code_version)
        .prefetch_related(
            Prefetch("metrics", queryset=Metric.objects.order_by("position")),
            Prefetch("event_types", queryset=EventType.objects.order_by("position")),
        )
        .get(number=number)
    )


def metrics(code_version: CodeVersion) -> QuerySet[Metric]:
    return Metric.objects.filter(code_version=code_version).select_related("right")


def metric(code_version: CodeVersion, code: str) -> Metric:
    return metrics(code_version).get(code=code)


def event_types(code_version: CodeVersion, codes: list[str] | None = None) -> dict[str, EventType]:
    queryset = EventType.objects.filter(code_version=code_version)
    if codes is not None:
        queryset = queryset.filter(code__in=codes)
    return {event_type.code: event_type for event_type in queryset}


def tables(code_version: CodeVersion) -> QuerySet[Table]:
    return Table.objects.filter(code_version=code_version).prefetch_related(
        Prefetch("columns", queryset=Column.objects.order_by("position"))
    )


def table(code_version: CodeVersion, name: str) -> Table:
    return tables(code_version).get(name=name)


def codelist_names(code_version: CodeVersion) -> list[str]:
    return list(
        Code.objects.filter(code_version=code_version)
        .order_by("codelist")
        .values_list("codelist", flat=True)
        .distinct()
    )


def codelist(code_version: CodeVersion, name: str) -> list[Code]:
    """The codes of one list in their published order; raises Code.DoesNotExist for an unknown list."""
    codes = list(Code.objects.filter(code_version=code_version, codelist=name).order_by("position"))
    if not codes:
        raise Code.DoesNotExist(name)
    return codes


def labels(code_version: CodeVersion, name: str) -> dict[str, str]:
    return dict(
        Code.objects.filter(code_version=code_version, codelist=name)
        .order_by("position")
        .values_list("code", "label")
    )


def event_types_taking_detail(code_version: CodeVersion) -> list[EventType]:
    """The event types that take a detail code, in the vocabulary's order, each naming the code list of its
    details (the pairs ingest enforces)."""
    return list(
        EventType.objects.filter(code_version=code_version).exclude(detail_codelist="").order_by("position")
    )


def codes_of(code_version: CodeVersion, names: list[str]) -> dict[str, list[Code]]:
    """The codes of several lists, each in its published order."""
    found: dict[str, list[Code]] = {name: [] for name in names}
    for code in Code.objects.filter(code_version=code_version, codelist__in=names).order_by(
        "codelist", "position"
    ):
        found[code.codelist].append(code)
    return found


def columns_using(code_version: CodeVersion, codelist_name: str) -> QuerySet[Column]:
    return Column.objects.filter(code_version=code_version, codelist=codelist_name).select_related("table")


def bodies(*, version: str | None = None, body_type: str | None = None) -> QuerySet[Body]:
    """Every criminal justice body and local policing body of a Code version (the newest by default).

    Each body carries its covered police force areas (`forces`) and, for a local policing body, who holds the
    role (`local_policing_body`).
    """
    code_version = current_version(version)
    queryset = (
        Body.objects.filter(code_version=code_version)
        .select_related("local_policing_body")
        .prefetch_related(Prefetch("forces", queryset=Body.objects.order_by("code")))
        .order_by("body_type", "name")
    )
    if body_type is not None:
        queryset = queryset.filter(body_type=body_type)
    return queryset
