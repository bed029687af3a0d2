from django.urls import path

from . import views

app_name = "media"

urlpatterns = [
    path("", views.index, name="index"),
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/<str:token>/", views.sign_in_link, name="sign_in_link"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("desk/", views.desk, name="desk"),
    path("desk/<int:request_id>/", views.request_detail, name="request"),
]
