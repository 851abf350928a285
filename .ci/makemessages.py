"""Refresh the Dutch catalogues: one per app (<app>/locale) and one for the project (locale/).

Each app is scanned from its own folder, so an app's strings land in its own catalogue.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Catalogue tools need no secrets; the test settings provide a throwaway key.
ENV = {**os.environ, "DJANGO_SETTINGS_MODULE": "coconnect.test_settings"}
APPS = [
    "trajectories",
    "interests",
    "workshops",
    "improvements",
    "health",
    "reports",
    "audit",
    "reminders",
    "organisations",
]
MANAGE = [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "nl", "--no-obsolete"]

only = sys.argv[1:]
for app in APPS:
    if only and app not in only:
        continue
    (ROOT / app / "locale").mkdir(exist_ok=True)
    subprocess.run([*MANAGE, "--ignore=migrations/*"], cwd=ROOT / app, check=True, env=ENV)
if not only or "project" in only:
    ignores = [
        f"--ignore={name}/*" for name in [*APPS, ".venv", "tests", "bench", "var", "staticfiles"]
    ]
    subprocess.run([*MANAGE, *ignores], cwd=ROOT, check=True, env=ENV)
