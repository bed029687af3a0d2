from django.db import migrations


def load_reference(apps, schema_editor):
    from birge.core.reference import regions_sync, topics_sync

    regions_sync(apps.get_model("core", "Region"), apps.get_model("core", "RegionAlias"))
    topics_sync(apps.get_model("core", "Topic"))


class Migration(migrations.Migration):
    """Regions (with the names found in older data) and topics are reference data every
    installation needs, demo or not."""

    dependencies = [("core", "0002_audit_append_only")]

    operations = [migrations.RunPython(load_reference, migrations.RunPython.noop)]
