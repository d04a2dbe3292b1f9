from django.urls import path

from compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.index, name="index"),
    path("figures.csv", views.download, name="download"),
    path(
        "computations/", views.computations, name="computations"
    ),  # before a metric's page, which takes any name
    path("<str:metric_id>/", views.metric, name="metric"),
]
