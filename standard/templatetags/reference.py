"""Names from the standard for the codes pages show: `{{ code|body_name }}`, `{{ codes|body_names|join:", " }}`
(in alphabetical order).

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


@register.filter
def body_name(code: str) -> str:
    return _body_names().get(code, code)


@register.filter
def body_names(codes: Iterable[str]) -> list[str]:
    """The bodies' names, in alphabetical order."""
    return sorted(body_name(code) for code in codes)
