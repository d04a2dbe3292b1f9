from django.urls import path

from accounts import staff_views, views

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
    path("users/<str:username>/", staff_views.user_detail, name="user"),
    path("users/<str:username>/role/", staff_views.user_role, name="user_role"),
    path("users/<str:username>/active/", staff_views.user_active, name="user_active"),
    path("users/<str:username>/password/", staff_views.user_password, name="user_password"),
]
