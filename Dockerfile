# The portal's image: gunicorn for web, the same image for the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
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
RUN pip install -c constraints.txt .
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput \
 && mkdir -p /app/var && chown -R portal /app/var
USER portal
EXPOSE 8000
# Workers, threads, bind and logging: gunicorn.conf.py (WEB_CONCURRENCY / GUNICORN_THREADS override).
CMD ["gunicorn"]
