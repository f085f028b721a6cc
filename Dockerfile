# Production image of Familieværft. The web (gunicorn), worker and beat (Celery) services of
# docker-compose.yml all run this one image with different commands.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app

# WeasyPrint (PDF letters) draws with Pango and HarfBuzz and needs fonts to draw with.
# psycopg[binary] brings its own libpq; libpq5 lets the pure-Python psycopg work as well.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core libpq5 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, from the runtime lock file alone, so that a change to the code does not
# reinstall them. Runtime dependencies only (requirements.lock, not requirements-dev.lock), each
# checked against its hash in the lock file.
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock

COPY . .
# PYTHONPATH=/app above keeps this checkout first on the path, so BASE_DIR (templates, static,
# locale) is /app whichever entry point (manage.py, gunicorn, celery) starts. The setuptools
# that builds it is the locked one (--no-build-isolation), so nothing unhashed is fetched.
RUN pip install --no-deps --no-build-isolation . && rm -rf build ./*.egg-info

# Static files are collected into the image, hashed and compressed, and served by whitenoise.
# The key only satisfies production settings during the build; it is never used at run time.
ARG COLLECTSTATIC_SECRET_KEY=collectstatic-only-never-used-at-run-time
RUN APP_ENV=production SECRET_KEY="$COLLECTSTATIC_SECRET_KEY" \
    python manage.py collectstatic --noinput

# Uploaded and generated files (letters) live on a volume mounted here (MEDIA_ROOT).
RUN mkdir -p /app/media && chown app:app /app/media

USER app
EXPOSE 8000
CMD ["gunicorn", "familievaerft.wsgi:application", "--config", "deploy/gunicorn_conf.py"]
