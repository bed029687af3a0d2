from django.urls import path

from . import views

app_name = "aid"

urlpatterns = [
    path("", views.index, name="index"),
    path("ask/", views.ask, name="ask"),
    path("track/<str:code>/<str:token>/", views.track, name="track"),
    path("volunteer/join/", views.volunteer_join, name="volunteer_join"),
    path("volunteer/sign-in/", views.volunteer_sign_in_request, name="volunteer_sign_in"),
    path(
        "volunteer/sign-in/<str:token>/",
        views.volunteer_sign_in_link,
        name="volunteer_sign_in_link",
    ),
    path("volunteer/sign-out/", views.volunteer_sign_out, name="volunteer_sign_out"),
    path("volunteer/", views.volunteer_home, name="volunteer_home"),
    path("volunteer/tasks/<int:request_id>/", views.volunteer_task, name="volunteer_task"),
    path("campaigns/<slug:slug>/", views.report, name="report"),
]
