"""The language of a request: Danish first, English only when chosen in the language switcher;
and texts that come from data, in the reader's language (``data_label``).

Rows such as ``cases.DeadlineRule`` (title, "met by") and ``cases.LegalBasis`` (title) are
seeded in Danish by migrations that mark each text with ``gettext_noop``, so ``make messages``
puts it in the catalogue; the texts the services store when a deadline is met are gettext'd
Danish msgids too, stored in Danish whoever acted (``gettext_noop``, never the request's
language). A stored text with parameters ("Første opfølgning holdt 07.12.2026") is its msgid
filled in: the app declares the msgid once (``register_stored_texts``, from its
``AppConfig.ready()``), and ``data_label`` reads the parameters back and fills in the
translation. Pages show any such text through ``data_label`` (in templates the
``data_label`` filter, a builtin: core/templatetags/data_labels.py): looked up in the active
language, and left as it is when the catalogue does not know it (a row an administrator
added). The database keeps the Danish text, so a page in English never writes English back.
"""

import re

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


# Declared msgids with parameters, and the pattern that reads a stored text back into them.
_STORED_TEXTS: dict[str, re.Pattern[str]] = {}
_PLACEHOLDER = re.compile(r"%\\\((\w+)\\\)[sd]")  # "%(date)s" as re.escape writes it


def register_stored_texts(*msgids: str) -> None:
    """Declare Danish msgids with ``%(name)s`` parameters that the app stores filled in, so
    ``data_label`` can show them in the reader's language."""
    for msgid in msgids:
        pattern = _PLACEHOLDER.sub(r"(?P<\1>.+?)", re.escape(msgid))
        _STORED_TEXTS[msgid] = re.compile(f"^{pattern}$", re.DOTALL)


def data_label(value: object) -> str:
    """``value``, a Danish text from data, in the active language if the catalogue has it."""
    text = "" if value is None else str(value)
    if not text:
        return text  # gettext("") would be the catalogue's header
    translated = gettext(text)
    if translated != text:
        return translated
    for msgid, pattern in _STORED_TEXTS.items():
        match = pattern.match(text)
        if match is not None:
            params = {name: data_label(part) for name, part in match.groupdict().items()}
            return gettext(msgid) % params
    return text
