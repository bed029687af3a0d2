from datetime import UTC, datetime

import factory

from birge.stats.models import Release


class ReleaseFactory(factory.django.DjangoModelFactory[Release]):
    class Meta:
        model = Release

    published_at = factory.Sequence(lambda n: datetime(2020, 7, 1, n % 24, tzinfo=UTC))
    source = "Test source"
    source_url = "https://example.org/"
