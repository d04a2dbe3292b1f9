from django.urls import path, register_converter

from accounts import staff_views, views


class UserNameConverter:
    """An account's user name in its pages' addresses: any text but a slash or a NUL character, which no user
    name holds (PostgreSQL refuses NUL in text, so such an address is not found rather than a server error)."""

    regex = r"[^/\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(UserNameConverter, "username")

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("audit-log/", views.audit_log, name="audit_log"),
    path("audit-log.csv", views.audit_log_download, name="audit_log_download"),
    path("password/", staff_views.password_change, name="password"),
    path("users/", staff_views.users, name="users"),
    path("users/new/", staff_views.user_new, name="user_new"),
    path("users/<username:username>/", staff_views.user_detail, name="user"),
    path("users/<username:username>/role/", staff_views.user_role, name="user_role"),
    path("users/<username:username>/active/", staff_views.user_active, name="user_active"),
    path("users/<username:username>/password/", staff_views.user_password, name="user_password"),
]
