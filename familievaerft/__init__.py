"""The project package, configuration only: settings, root URLs and the API's URLs, the Celery
app (imported here so that tasks bind to it when Django starts) and WSGI."""

from familievaerft.celery import app as celery_app

__all__ = ("celery_app",)
