"""The WSGI application, served by gunicorn in production (``familievaerft.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "familievaerft.settings")
application = get_wsgi_application()
