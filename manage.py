#!/usr/bin/env python
import os
import sys

# Commands that read models or catalogues but never sign or serve anything. They may run on a
# machine with no secret at all (a migrations check in CI, refreshing translations); everything
# else still refuses to start without SECRET_KEY when DEBUG is off.
KEYLESS_COMMANDS = {
    "makemigrations",
    "showmigrations",
    "sqlmigrate",
    "makemessages",
    "compilemessages",
}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coconnect.settings")
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command in KEYLESS_COMMANDS and not os.getenv("SECRET_KEY"):
        os.environ["SECRET_KEY"] = "unused-by-" + command
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
