from typing import Any

import factory
from django.utils import timezone

from birge.appeals.clock import term_start
from birge.appeals.models import Appeal
from birge.core.models import Region


class AppealFactory(factory.django.DjangoModelFactory[Appeal]):
    class Meta:
        model = Appeal

    kind = Appeal.Kind.QUESTION
    text = factory.Sequence(lambda n: f"Question number {n} about the quarantine rules")
    region = factory.LazyFunction(lambda: Region.objects.get(code="KZ-75"))
    language = "en"
    registered_at = factory.LazyFunction(timezone.now)
    status = Appeal.Status.IN_PROGRESS

    @factory.lazy_attribute
    def due_at(self) -> Any:
        return term_start(self.registered_at).due_at

    @factory.lazy_attribute
    def term_limit_at(self) -> Any:
        return term_start(self.registered_at).limit_at

    @factory.lazy_attribute
    def assigned_at(self) -> Any:
        return self.registered_at if self.agency else None
