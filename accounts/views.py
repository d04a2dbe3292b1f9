from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from accounts import actions, audit
from accounts.access import role_required
from accounts.audit import record
from accounts.forms import AuditFilterForm, SignInForm
from accounts.models import AuditEvent, Role, User
from config.paging import paged

AUDIT_EVENTS_PER_PAGE = 100


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _known_user_target(username: str) -> str:
    # Never echo what was typed into the log (it may be a password typed into the wrong box).
    return f"user:{username}" if User.objects.filter(username=username).exists() else "user:unknown"


# The right password, refused for the account's state (the form's error code: the purpose logged). None is a
# wrong guess, so none is a step towards a lockout.
_RIGHT_PASSWORD_REFUSED = {
    "organisation_inactive": "organisation deactivated",
    "temporary_password_used": "temporary password used",
    "temporary_password_expired": "temporary password expired",
}


def _record_unsuccessful_sign_in(
    request: HttpRequest, form: SignInForm, *, username: str, was_locked: bool
) -> None:
    """One audit event for a sign-in that did not happen (two when this attempt brought a lockout)."""
    target = _known_user_target(username)

    def anonymous(*, action: str, outcome: str, purpose: str = "") -> None:
        record(
            by=None, action=action, target=target, outcome=outcome, purpose=purpose, actor_label="anonymous"
        )

    refusal = next(
        (
            purpose
            for code, purpose in _RIGHT_PASSWORD_REFUSED.items()
            if form.has_error(NON_FIELD_ERRORS, code)
        ),
        None,
    )
    if refusal is not None:
        anonymous(action="sign_in.refused", outcome=AuditEvent.Outcome.REFUSED, purpose=refusal)
    elif was_locked:
        anonymous(action="sign_in.refused", outcome=AuditEvent.Outcome.REFUSED, purpose="locked out")
    else:
        anonymous(action="sign_in.failed", outcome=AuditEvent.Outcome.FAILED)
        if getattr(request, "axes_locked_out", False):
            anonymous(action="sign_in.locked_out", outcome=AuditEvent.Outcome.REFUSED)


@sensitive_post_parameters("password")
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SignInForm(request, data=request.POST)
        # The user name as the form reads it (spaces around it removed), for the lockout check and the log alike.
        username = form.typed_username()
        was_locked = AxesProxyHandler.is_locked(request, {"username": username})
        if form.is_valid():
            user = form.get_user()
            if actions.spend_temporary_password(user=user):
                login(request, user)
                record(by=user, action="sign_in")
                return redirect(_safe_next(request) or "home")
            form.add_error(None, form.temporary_password_used())  # another sign-in used it a moment ago
        _record_unsuccessful_sign_in(request, form, username=username, was_locked=was_locked)
        # When the account is locked, Axes's middleware replaces this response with the lockout page.
    else:
        form = SignInForm(request)
    return render(request, "accounts/sign_in.html", {"form": form, "next": _safe_next(request)})


def locked_out(request: HttpRequest, original_response: HttpResponse, credentials: object) -> HttpResponse:
    """The page of a sign-in that is locked out (django-axes's AXES_LOCKOUT_CALLABLE), with the wait that
    AXES_COOLOFF_MINUTES sets."""
    cool_off = get_cool_off(request)
    minutes = round(cool_off.total_seconds() / 60) if cool_off else 0
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes},
        status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record(by=request.user, action="sign_out")
    logout(request)
    return redirect("home")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html")


@role_required(Role.ADMINISTRATOR)
@require_safe
def audit_log_download(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The events the page would list, every one of them, as CSV."""
    form = AuditFilterForm(request.GET or None, actions=audit.actions_logged())
    if form.is_bound and not form.is_valid():
        return redirect(f"{reverse('accounts:audit_log')}?{request.GET.urlencode()}")
    lines = audit.export(request.user, form.cleaned_data if form.is_bound else {})  # type: ignore[arg-type]
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response


@role_required(Role.ADMINISTRATOR)
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, actions=audit.actions_logged())
    if form.is_bound and not form.is_valid():
        events = AuditEvent.objects.none()
    else:
        events = audit.search(**(form.cleaned_data if form.is_bound else {}))
    listed = paged(request, events, AUDIT_EVENTS_PER_PAGE)
    return render(
        request,
        "accounts/audit_log.html",
        {"form": form, "filtered": form.narrows, "events": listed["page"].object_list, **listed},
    )
