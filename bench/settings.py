"""Settings for the benchmark: the app's own settings (run with APP_ENV=production by
``bench.run``), plus the ``bench`` app with its floor views and a per-request query counter.

Nothing here changes how the app's pages work, except that the second factor is off so the
benchmark's sessions (made with ``Client.force_login``) reach the pages.
"""

from familievaerft.settings import *  # noqa: F403
from familievaerft.settings import INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
# First: counts every query of the request, the session and user lookups included.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
TWO_FACTOR_REQUIRED = False
# The reminder sweep mails thousands of reminders: built, not sent.
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
