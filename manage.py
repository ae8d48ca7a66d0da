#!/usr/bin/env python
"""Django's command-line utility for the DPIA workbench."""

import sys


def main() -> None:
    from config.cli import choose_settings

    choose_settings(sys.argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
