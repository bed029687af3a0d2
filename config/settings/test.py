"""Test settings: fast password hashing, tasks run in-process unless a test picks a backend."""

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, REDIS_URL

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["NAME"] = ":memory:"

# Tests run tasks in-process by default; the backend tests pick "database" or "rq" explicitly.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    **(
        {"rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}} if REDIS_URL else {}
    ),
}
AXES_ENABLED = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
CACHES["default"]["KEY_PREFIX"] = "birge-test"
CACHES["shared"]["KEY_PREFIX"] = "birge-test"
# Static files come from the apps' folders in tests; nothing is collected.
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Every submission enqueues its routing sweep, so a test sees its appeal routed at once.
BIRGE_APPEALS_ROUTE_COALESCE_SECONDS = 0.0
# Tests change content between requests to the same page; the tests of the per-process page
# copy switch it on themselves.
BIRGE_PUBLIC_PROCESS_CACHE_SECONDS = 0.0
