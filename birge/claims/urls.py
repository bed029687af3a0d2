from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("", views.claim_list, name="list"),
    path("check/", views.claim_check, name="check"),
    path("<int:claim_id>/", views.claim_detail, name="detail"),
]
