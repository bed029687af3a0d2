from django.urls import path  # noqa: F401 - the app's public pages are added here

app_name = "appeals"

urlpatterns: list = []
