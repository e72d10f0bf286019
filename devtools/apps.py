from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Development tools, installed only with DEBUG, under tests or with DEVTOOLS=true
    (cchc/settings.py): no models, no URLs, only management commands."""

    name = "devtools"
    verbose_name = "Công cụ phát triển"
