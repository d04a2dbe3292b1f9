from django.urls import path

from identity import views

app_name = "identity"
urlpatterns = [
    path("", views.index, name="index"),
    path("match/", views.match, name="match"),
    path("review/", views.review_queue, name="review"),
    path("review/<int:item_id>/", views.review_item, name="review_item"),
    path("people/", views.find_person, name="find_person"),
    path("people/<str:value>/", views.person, name="person"),
    path("people/<str:value>/split/", views.request_split, name="request_split"),
    path("agreements/", views.agreements, name="agreements"),
    path("agreements/<int:agreement_id>/end/", views.end_agreement, name="end_agreement"),
]
