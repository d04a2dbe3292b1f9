from django.urls import path

from journeys import views

app_name = "journeys"
urlpatterns = [
    path("", views.submission_list, name="list"),
    path("new/", views.upload, name="upload"),
    path("<int:submission_id>/", views.detail, name="detail"),
    path("<int:submission_id>/rejected-rows.csv", views.rejected_rows_csv, name="rejected_csv"),
    path("<int:submission_id>/rejected-rows.xlsx", views.rejected_rows_xlsx, name="rejected_xlsx"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.revoke, name="revoke"),
    path("code-mappings/", views.mappings, name="mappings"),
]
