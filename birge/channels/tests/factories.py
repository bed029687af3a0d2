from typing import Any

import factory

from birge.channels.models import Subscriber


class SubscriberFactory(factory.django.DjangoModelFactory[Subscriber]):
    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    kind = Subscriber.Kind.TELEGRAM
    address = factory.Sequence(lambda n: str(100_000 + n))
    language = "kk"
    status = Subscriber.Status.ACTIVE

    @factory.post_generation
    def regions(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.regions.set(extracted)
            Subscriber.objects.filter(pk=self.pk).update(all_regions=False)
            self.all_regions = False

    @factory.post_generation
    def topics(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.topics.set(extracted)
            Subscriber.objects.filter(pk=self.pk).update(all_topics=False)
            self.all_topics = False
