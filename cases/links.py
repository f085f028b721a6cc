"""Links to the pages of one case, reversed once per URL name and filled in per case.

Pages that link to many cases, or to every tab of one, reversed the same URL patterns again
and again; here each pattern is reversed once per process (and script prefix and URL conf)
with a placeholder id, and the case's id is put in its place.
"""

import functools
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

_CASE_ID_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


@functools.lru_cache(maxsize=128)
def _case_url_pattern(url_name: str, script_prefix: str, urlconf: str) -> str:
    return reverse(url_name, kwargs={"case_id": _CASE_ID_PLACEHOLDER}, urlconf=urlconf)


def case_url(url_name: str, case_id: Any) -> str:
    """``reverse(url_name, kwargs={"case_id": case_id})`` for a URL whose only argument is
    the case's id."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    pattern = _case_url_pattern(url_name, get_script_prefix(), urlconf)
    return pattern.replace(_CASE_ID_PLACEHOLDER, str(case_id))
