from django.conf.urls.i18n import i18n_patterns
from django.urls import URLPattern, URLResolver, include, path

from config import views
from config.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("standard/", include("standard.urls")),
    path("account/", include("accounts.urls")),
    path("identity/", include("identity.urls")),
    path("submissions/", include("journeys.urls")),
    path("compliance/", include("compliance.urls")),
    path("oversight/", include("oversight.urls")),
    path("data/", include("publication.urls")),
    path("my-case/", include("hub.urls")),
    prefix_default_language=False,
)

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
