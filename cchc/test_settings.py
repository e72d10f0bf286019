"""The settings pytest runs with (`DJANGO_SETTINGS_MODULE` in pyproject.toml): the project's own,
with `TESTING` on unless the environment sets it (a test that starts a server passes false)."""

import os

os.environ.setdefault("TESTING", "true")

from cchc.settings import *  # noqa: F403
