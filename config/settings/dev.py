"""Local development and the demo: SQLite, local cache, database task worker."""

from .base import *  # noqa: F403
from .base import env_bool

# Off unless DEBUG=1: the demo is reachable by others, and with DEBUG on a 404 page lists every
# URL pattern and the API answers a crash with its traceback. Static files come from
# collectstatic (./dev start runs it) through WhiteNoise either way.
DEBUG = env_bool("DEBUG", default=False)
# No nginx in front of the demo: Django serves the public media root.
BIRGE_SERVE_MEDIA = env_bool("BIRGE_SERVE_MEDIA", default=True)
