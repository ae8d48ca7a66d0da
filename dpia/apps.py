from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DpiaConfig(AppConfig):
    name = "dpia"
    verbose_name = _("DPIA workbench")

    def ready(self) -> None:
        # Imported for their side effects: the system checks, and the session clock started at login.
        from dpia import checks, middleware  # noqa: F401
