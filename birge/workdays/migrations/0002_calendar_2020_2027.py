from django.db import migrations


def load_calendar(apps, schema_editor):
    from birge.workdays.reference import calendar_sync

    calendar_sync(apps.get_model("workdays", "WorkdayException"))


class Migration(migrations.Migration):
    """Kazakhstan's holidays, moved days off and Government transfers for 2020-2027: every
    installation computes legal deadlines from them, demo or not."""

    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(load_calendar, migrations.RunPython.noop)]
