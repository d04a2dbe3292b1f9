from django.urls import path

from compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.index, name="index"),
    path("figures.csv", views.download, name="download"),
    # Before a metric's page, whose address takes any name.
    path("computations/", views.computations, name="computations"),
    path("<str:metric_id>/", views.metric, name="metric"),
]
