"""Compile every Dutch catalogue (project and apps) into .mo files."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Catalogue tools need no secrets; the test settings provide a throwaway key.
ENV = {**os.environ, "DJANGO_SETTINGS_MODULE": "coconnect.test_settings"}
subprocess.run(
    [sys.executable, "manage.py", "compilemessages", "--ignore=.venv/*", "--ignore=staticfiles/*"],
    cwd=ROOT,
    check=True,
    env=ENV,
    stdout=subprocess.DEVNULL,
)
