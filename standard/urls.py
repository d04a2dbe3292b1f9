from django.urls import path

from standard import views

app_name = "standard"
urlpatterns = [
    path("", views.index, name="index"),
    path("rights/<int:number>/", views.right_detail, name="right"),
    path("metrics/<str:code>/", views.metric_detail, name="metric"),
    path("tables/<slug:name>/", views.table_detail, name="table"),
    path("codes/<slug:name>/", views.codelist_detail, name="codelist"),
    path("bodies/", views.body_list, name="bodies"),
    path("schemas/<slug:name>.json", views.schema_json, name="schema"),
    path("templates/<slug:name>.csv", views.template_csv, name="template_csv"),
    path("templates/<slug:name>.xlsx", views.template_xlsx, name="template_xlsx"),
]
