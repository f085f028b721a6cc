"""The language of a request: Danish first, English only when chosen in the language switcher."""

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class DanishFirstLocaleMiddleware(LocaleMiddleware):
    """Danish unless the user has chosen another language in the switcher.

    Django's LocaleMiddleware follows the browser's Accept-Language; a municipal PC or a
    phone set to English would then get English by default. Here only the explicit choice
    (the language cookie set by the switcher) counts.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
