from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account, name="account"),
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("audit-log/", views.audit_log, name="audit_log"),
    path("audit-log.csv", views.audit_log_download, name="audit_log_download"),
]
