"""The language of a request: Danish first, English only when chosen in the language switcher;
and texts that come from data, in the reader's language (``data_label``).

Rows such as ``cases.DeadlineRule`` (title, "met by") and ``cases.LegalBasis`` (title) are
seeded in Danish by migrations that mark each text with ``gettext_noop``, so ``make messages``
puts it in the catalogue; the texts the services store when a deadline is met are gettext'd
Danish msgids too. Pages show any such text through ``data_label`` (in templates the
``data_label`` filter, a builtin: core/templatetags/data_labels.py): looked up in the active
language, and left as it is when the catalogue does not know it (a row an administrator
added). The database keeps the Danish text, so a page in English never writes English back.
"""

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext


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


def data_label(value: object) -> str:
    """``value``, a Danish text from data, in the active language if the catalogue has it."""
    text = "" if value is None else str(value)
    return gettext(text) if text else text  # gettext("") would be the catalogue's header
