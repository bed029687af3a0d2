"""The project's URLs plus the benchmark's reference and idle views."""

from django.urls import path

from bench.aid import views as aid_views
from config.urls import urlpatterns as project_urlpatterns

from . import views

urlpatterns = [
    path("bench/reference", views.reference_insert, name="bench_reference"),
    path("bench/idle", views.idle, name="bench_idle"),
    path("bench/page", aid_views.page, name="bench_page"),
    *project_urlpatterns,
]
