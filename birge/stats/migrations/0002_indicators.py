from typing import Any

from django.db import migrations


def indicators_create(apps: Any, schema_editor: Any) -> None:
    from birge.stats.indicators import indicators_sync

    indicators_sync(apps.get_model("stats", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("stats", "0001_initial")]

    operations = [migrations.RunPython(indicators_create, migrations.RunPython.noop)]
