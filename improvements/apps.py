from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementsConfig(AppConfig):
    name = "improvements"
    verbose_name = _("Improvement packages")

    def ready(self):
        # Imported here, not at the top: receivers need the app registry to be ready.
        from . import signals  # noqa: F401
