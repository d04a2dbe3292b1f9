"""Names from the standard for the codes pages show: `{{ code|body_name }}`, `{{ codes|body_names|join:", " }}`
(in alphabetical order), `{{ code|code_name:"offence_group" }}` (any code list), and
`{{ event.detail|detail_name:event.event_type }}` (the detail of an event, from its type's code list).

The newest Code version names them; a code it does not know is shown as it is.
"""

from collections.abc import Iterable
from functools import lru_cache

from django import template

from analytics.standard import available_versions, load_standard

register = template.Library()


@lru_cache(maxsize=1)
def _body_names() -> dict[str, str]:
    """Read once per process: the versions on disk change only with a release."""
    return {code: body.name for code, body in load_standard(available_versions()[-1]).bodies.items()}


@lru_cache(maxsize=1)
def _standard_names() -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """(code list -> code -> name, event type -> the code list of its detail), read once per process."""
    standard = load_standard(available_versions()[-1])
    details = {
        code: event.detail_codelist for code, event in standard.event_types.items() if event.detail_codelist
    }
    return standard.codes, details


@register.filter
def code_name(code: str | None, codelist: str) -> str:
    if code is None or code == "":
        return ""
    return _standard_names()[0].get(codelist, {}).get(str(code), str(code))


@register.filter
def detail_name(detail: str | None, event_type: str) -> str:
    codelist = _standard_names()[1].get(event_type)
    return code_name(detail, codelist) if codelist else (detail or "")


@register.filter
def body_name(code: str) -> str:
    return _body_names().get(code, code)


@register.filter
def body_names(codes: Iterable[str]) -> list[str]:
    """The bodies' names, in alphabetical order."""
    return sorted(body_name(code) for code in codes)
