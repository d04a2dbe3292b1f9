"""Pages where administrators manage staff accounts, and where anyone signed in chooses a new password.

A temporary password is shown once, in the answer to the request that made it, and never stored in the clear.
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import actions
from accounts.access import role_required
from accounts.forms import AccountForm, NewPasswordForm, RoleForm
from accounts.models import Role, User
from accounts.queries import find_accounts
from config.paging import paged

ACCOUNTS_PER_PAGE = 100


def _temporary_password_page(request: HttpRequest, user: User, password: str, *, new: bool) -> HttpResponse:
    # Its views are never_cache: the page (and the password) is stored by no browser or proxy.
    return render(
        request, "accounts/temporary_password.html", {"account": user, "password": password, "new": new}
    )


@role_required(Role.ADMINISTRATOR)
def users(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    listed = paged(request, find_accounts(query), ACCOUNTS_PER_PAGE)
    return render(
        request,
        "accounts/users.html",
        {"query": query, "accounts": listed["page"].object_list, **listed},
    )


@role_required(Role.ADMINISTRATOR)
@never_cache
def user_new(request: HttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = actions.open_account(
                by=request.user,  # type: ignore[arg-type]
                username=form.cleaned_data["username"],
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                email=form.cleaned_data["email"],
            )
        except actions.AccountRefused as refusal:
            form.add_error("role", refusal.message)
        else:
            return _temporary_password_page(request, user, password, new=True)
    return render(request, "accounts/user_new.html", {"form": form})


@role_required(Role.ADMINISTRATOR)
def user_detail(request: HttpRequest, username: str) -> HttpResponse:
    account = get_object_or_404(User.objects.select_related("organisation"), username=username)
    form = RoleForm(user=account)
    return _detail(request, account, form)


def _detail(request: HttpRequest, account: User, form: RoleForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "accounts/user.html",
        {"account": account, "form": form, "yourself": account.pk == request.user.pk},
        status=status,
    )


@role_required(Role.ADMINISTRATOR)
@require_POST
def user_role(request: HttpRequest, username: str) -> HttpResponse:
    account = get_object_or_404(User.objects.select_related("organisation"), username=username)
    form = RoleForm(request.POST, user=account)
    if not form.is_valid():
        return _detail(request, account, form, status=400)
    try:
        actions.change_role(by=request.user, user=account, role=form.cleaned_data["role"])  # type: ignore[arg-type]
    except actions.AccountRefused as refusal:
        form.add_error("role", refusal.message)
        return _detail(request, account, form, status=400)
    messages.success(
        request,
        _("The role of %(user)s is now %(role)s.")
        % {"user": account.username, "role": account.get_role_display()},
    )
    return redirect("accounts:user", username=account.username)


@role_required(Role.ADMINISTRATOR)
@require_POST
def user_active(request: HttpRequest, username: str) -> HttpResponse:
    account = get_object_or_404(User, username=username)
    active = request.POST.get("active") == "true"
    try:
        actions.set_active(by=request.user, user=account, active=active)  # type: ignore[arg-type]
    except actions.AccountRefused as refusal:
        messages.error(request, refusal.message)
    else:
        if active:
            messages.success(request, _("%(user)s can sign in again.") % {"user": account.username})
        else:
            messages.success(request, _("%(user)s can no longer sign in.") % {"user": account.username})
    return redirect("accounts:user", username=account.username)


@role_required(Role.ADMINISTRATOR)
@require_POST
@never_cache
def user_password(request: HttpRequest, username: str) -> HttpResponse:
    account = get_object_or_404(User.objects.select_related("organisation"), username=username)
    try:
        password = actions.issue_password(by=request.user, user=account)  # type: ignore[arg-type]
    except actions.AccountRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("accounts:user", username=account.username)
    return _temporary_password_page(request, account, password, new=False)


@login_required
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
def password_change(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = NewPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        # Stays signed in here; every other session of the account ends.
        update_session_auth_hash(request, user)
        actions.password_changed(user=user)
        messages.success(request, _("Your password has been changed."))
        return redirect("accounts:account")
    return render(
        request, "accounts/password_change.html", {"form": form, "temporary": user.must_change_password}
    )
