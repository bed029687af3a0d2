"""The project's URLs plus the benchmark's reference and idle views."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

from . import views

urlpatterns = [
    path("bench/reference", views.reference_insert, name="bench_reference"),
    path("bench/idle", views.idle, name="bench_idle"),
    *project_urlpatterns,
]
