from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse

from accounts.access import refuse


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"standard_url": reverse("standard:index")})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return refuse(request, reason=str(exception or "") or "permission denied")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context and no database: whatever failed may be either of them.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"service_name": settings.SERVICE_NAME}))
