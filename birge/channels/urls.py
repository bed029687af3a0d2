from django.urls import path

from . import views

app_name = "channels"

urlpatterns = [
    path("", views.email_subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.subscription_confirm, name="subscribe_confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
