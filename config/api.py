"""The JSON API (OpenAPI at /api/docs). Each domain adds its own router here."""

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import Throttled, ValidationError

api = NinjaAPI(
    title="Justice Journey API",
    version="1",
    description="Submit victims' journey data in the minimum dataset and read compliance results.",
    urls_namespace="api",
)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, error: Any) -> HttpResponse:
    """A body beyond DATA_UPLOAD_MAX_MEMORY_SIZE: 413, as for too many records, not a server error."""
    most = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return api.create_response(
        request,
        {"detail": f"the request is larger than {most} MB; send fewer records per request, or upload a file"},
        status=413,
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """422 naming the fields that did not validate; but a submission for a body its token may not submit for is
    refused 403, and audited, whatever else is wrong with it."""
    from journeys.api import refused_before_validation

    refused = refused_before_validation(request)
    if refused is not None:
        return api.create_response(request, refused, status=403)
    return api.create_response(request, {"detail": error.errors}, status=422)


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, error: Throttled) -> HttpResponse:
    """429 with the seconds to wait, as RFC 9110 asks."""
    response = api.create_response(request, {"detail": "too many refused calls; try again later"}, status=429)
    if error.wait:
        response["Retry-After"] = str(int(error.wait))
    return response


from journeys.api import router as journeys_router  # noqa: E402

api.add_router("/", journeys_router)

from identity.api import router as identity_router  # noqa: E402

api.add_router("/identity/", identity_router)
