from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DpiaConfig(AppConfig):
    name = "dpia"
    verbose_name = _("DPIA workbench")

    def ready(self) -> None:
        from dpia import checks  # noqa: F401  (registers the system checks)
