"""Which settings a command-line run uses, and the `dpia` console script (pyproject's [project.scripts]).

The offline tools (`assess`, `report`, `verify`, `bank_schema`) run with config.settings_offline, which
needs no environment; everything else (runserver, migrate, db_worker...) keeps config.settings, which
refuses to start in production without a secret key. DJANGO_SETTINGS_MODULE, when set, always wins."""

import os
import sys

OFFLINE_COMMANDS = ("assess", "report", "verify", "bank_schema")
OFFLINE_SETTINGS = "config.settings_offline"


def choose_settings(argv: list[str]) -> None:
    command = argv[1] if len(argv) > 1 else ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE",
                          OFFLINE_SETTINGS if command in OFFLINE_COMMANDS else "config.settings")


def refuse_to_serve_offline() -> None:
    """For wsgi.py and asgi.py: the offline settings carry a throwaway secret and must never serve."""
    from django.core.exceptions import ImproperlyConfigured

    if os.environ.get("DJANGO_SETTINGS_MODULE") == OFFLINE_SETTINGS:
        raise ImproperlyConfigured(f"{OFFLINE_SETTINGS} is for the command-line tools; serve with config.settings.")


def main() -> None:
    """`dpia assess answers.toml`, `dpia report ...`, `dpia verify FILE`, `dpia bank_schema`."""
    if len(sys.argv) < 2 or sys.argv[1] not in OFFLINE_COMMANDS:
        sys.stderr.write(f"usage: dpia {{{','.join(OFFLINE_COMMANDS)}}} [options]  (dpia COMMAND --help)\n")
        sys.exit(2)
    choose_settings(sys.argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dpia", *sys.argv[1:]])


if __name__ == "__main__":
    main()
