# Coconnect: one image for the web process (gunicorn + uvicorn workers, ASGI) and the Celery worker.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# pango and harfbuzz for WeasyPrint (PDF reports), gettext to compile the Dutch catalogues,
# fonts so PDFs look the same everywhere, curl for the health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libffi8 \
        gettext fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 coconnect
WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
# Exactly the pinned packages, each checked against its hash (requirements.lock, `make lock`).
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY . .
RUN python .ci/compilemessages.py \
    && mkdir -p /app/var /app/staticfiles \
    && chown -R coconnect:coconnect /app/var /app/staticfiles

USER coconnect
EXPOSE 8000
CMD ["gunicorn", "-c", "python:coconnect.gunicorn_conf", "coconnect.asgi:application"]
