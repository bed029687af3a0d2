from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "birge.matching"
    label = "matching"
    verbose_name = "Text matching"
