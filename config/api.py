"""The JSON API (OpenAPI at /api/docs). Each domain adds its own router here."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="Justice Journey API",
    version="1",
    description="Submit victims' journey data in the minimum dataset and read compliance results.",
    urls_namespace="api",
)

from journeys.api import router as journeys_router  # noqa: E402

api.add_router("/", journeys_router)

from identity.api import router as identity_router  # noqa: E402

api.add_router("/identity/", identity_router)
