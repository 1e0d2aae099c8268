# The portal's image: gunicorn for web, the same image for migrations, the Celery worker and beat.
# Slim: Debian's slim Python, runtime libraries only (--no-install-recommends, no compiler: every dependency
# installs from a wheel), no pip cache, and only what .dockerignore lets in (no .venv, var/, .env or .git).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.prod

# WeasyPrint's system libraries (Pango, HarfBuzz) and fonts; libpq is bundled in psycopg2-binary.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 portal
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY config ./config
COPY partners ./partners
COPY workforce ./workforce
COPY training ./training
COPY actions ./actions
COPY notifications ./notifications
COPY privacy ./privacy
COPY portal ./portal
RUN pip install --only-binary=:all: -c constraints.txt . && rm -rf /root/.cache
COPY . .
# collectstatic imports production's settings, which insist on their servers' URLs: placeholders that nothing
# connects to at build time. The folders that docker-compose mounts volumes on (media) are made here and owned
# by the portal user, or Docker would create them root-owned and the portal could not write its files.
RUN SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build-only.sqlite3 REDIS_URL=redis://build-only:6379/0 \
    EMAIL_URL=dummymail:// python manage.py collectstatic --noinput \
 && mkdir -p /app/var/media \
 && chown -R portal:portal /app/var
USER portal
EXPOSE 8000
# Workers, threads, bind and logging: gunicorn.conf.py (WEB_CONCURRENCY / GUNICORN_THREADS override).
CMD ["gunicorn"]
