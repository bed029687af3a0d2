"""Settings for the intake benchmark: the project's base settings as production runs them.

The database comes from the environment exactly as in production (`DATABASE_URL`, or
`SQLITE_PATH` with the project's WAL options); run.py points it at a fresh database per run.
Tasks always go to the database backend and no worker runs, so the request path is measured
alone and the queued tasks can be counted afterwards. DEBUG is off.
"""

from config.settings.base import *  # noqa: F403
from config.settings.base import INSTALLED_APPS, STORAGES

DEBUG = False
SECRET_KEY = "bench-appeals-not-a-secret-" + "x" * 40
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [*INSTALLED_APPS, "bench.appeals"]
ROOT_URLCONF = "bench.appeals.urls"
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Nothing is collected for a benchmark; the API renders no templates with static files.
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
