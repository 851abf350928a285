"""How gunicorn serves the web container (docker-compose.yml and the Dockerfile alike).

gunicorn -c python:coconnect.gunicorn_conf coconnect.asgi:application
"""

import os

from coconnect.logs import FILTERS

bind = "0.0.0.0:8000"
# ASGI (the live workshops stream Server-Sent Events) in uvicorn workers.
worker_class = "uvicorn_worker.UvicornWorker"
workers = int(os.getenv("WEB_WORKERS") or 3)
timeout = 120
# Only these peers may say who the visitor is (X-Forwarded-For) and whether it came over https
# (X-Forwarded-Proto). Default: this container only; set it to your reverse proxy's address.
forwarded_allow_ips = os.getenv("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"
accesslog = "-"

# gunicorn's own log handlers mask invite tokens and live keys too (the uvicorn workers log
# requests through them until Django's LOGGING takes over).
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": FILTERS,
    "formatters": {
        "generic": {
            "format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
            "datefmt": "[%Y-%m-%d %H:%M:%S %z]",
        },
        "access": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "filters": ["mask_secrets"],
            "stream": "ext://sys.stderr",
        },
        "error_console": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "filters": ["mask_secrets"],
            "stream": "ext://sys.stderr",
        },
        "access_console": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "filters": ["mask_secrets"],
            "stream": "ext://sys.stdout",
        },
    },
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access_console"], "propagate": False},
    },
}
