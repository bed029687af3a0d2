from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "appeals"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="appeals:ask"), name="index"),
    path("ask/", views.ask, name="ask"),
    path("ask/similar/", views.similar, name="similar"),
    path("track/", views.track_lookup, name="track_lookup"),
    path("track/<str:code>/<str:token>/", views.track, name="track"),
    path(
        "track/<str:code>/<str:token>/<str:action>/",
        views.track_action,
        name="track_action",
    ),
    path("faq/", views.faq, name="faq"),
    path("agencies/", views.agency_figures_list, name="agency_figures_list"),
    path("agencies/<slug:slug>/", views.agency_figures, name="agency_figures"),
]
