"""Static file finders: the apps' static files without what the app never serves."""

from collections.abc import Iterable, Iterator

from django.contrib.staticfiles import finders
from django.core.files.storage import Storage

# The sidecar ships Redoc too; the API documentation uses Swagger UI only. Leaving it out
# saves collectstatic (and whitenoise's compression) about 5 MB of JavaScript.
IGNORED = ["drf_spectacular_sidecar/redoc/*"]


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    def list(self, ignore_patterns: Iterable[str] | None) -> Iterator[tuple[str, Storage]]:
        yield from super().list([*(ignore_patterns or []), *IGNORED])
