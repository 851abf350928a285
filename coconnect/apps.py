from django.apps import AppConfig


class CoconnectConfig(AppConfig):
    name = "coconnect"

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from .security import slow_down_failed_sign_in

        # After django-axes' own receiver (its app comes first), so this failure is counted.
        user_login_failed.connect(slow_down_failed_sign_in, dispatch_uid="coconnect-slow-down")
