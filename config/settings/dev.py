"""Local development and the demo: SQLite, local cache, database task worker."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", default=True)
