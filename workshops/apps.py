from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Workshops")

    def ready(self):
        # Imported here, not at the top: signals.py uses the models, which are only ready now.
        from . import signals

        signals.connect()
