from django.urls import path

from . import views

app_name = "appeals"

urlpatterns = [
    path("ask/", views.ask, name="ask"),
    path("ask/similar/", views.similar, name="similar"),
    path("track/<str:code>/<str:token>/", views.track, name="track"),
    path(
        "track/<str:code>/<str:token>/<str:action>/",
        views.track_action,
        name="track_action",
    ),
    path("faq/", views.faq, name="faq"),
    path("agencies/<slug:slug>/", views.agency_figures, name="agency_figures"),
]
