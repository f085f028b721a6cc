"""Danish first, English second: the language switch, the English catalogue and its dates.

The source strings are Danish; ``locale/en/LC_MESSAGES/django.po`` holds the English and
``django.mo`` is its compiled form, committed beside it (``make messages`` regenerates both).
"""

import ast
import datetime as dt
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation

LC_MESSAGES = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
MSGFMT = shutil.which("msgfmt")  # GNU gettext; the pure-Python checks below run without it


@pytest.fixture(autouse=True)
def _back_to_default_language():
    # A request through LocaleMiddleware leaves its language active in this thread.
    yield
    translation.deactivate()


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- the catalogue as a file -----------------------------------------------------------------


def parse_po(path: Path) -> list[dict]:
    """The entries of a PO file: msgctxt, msgid, msgid_plural, msgstr (str or list), flags."""
    entries: list[dict] = []
    entry: dict | None = None
    field: tuple[str, int | None] | None = None

    def finish() -> None:
        if entry is not None and entry.get("msgid") is not None:
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            finish()
            entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgctxt": None, "msgid": None, "msgid_plural": None}
            entry["msgstr"] = None
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$', line)
        if match:
            key, index, value = match.group(1), match.group(2), ast.literal_eval(match.group(3))
            if index is None:
                entry[key] = value
                field = (key, None)
            else:
                if not isinstance(entry["msgstr"], list):
                    entry["msgstr"] = []
                entry["msgstr"].append(value)
                field = ("msgstr", int(index))
            continue
        assert line.startswith('"') and field is not None, f"unexpected PO line: {line!r}"
        key, index = field
        if index is None:
            entry[key] += ast.literal_eval(line)
        else:
            entry["msgstr"][index] += ast.literal_eval(line)
    finish()
    return entries


def _messages() -> list[dict]:
    return [e for e in parse_po(PO) if e["msgid"] != ""]


def test_catalogue_exists_and_is_english():
    entries = parse_po(PO)
    header = next(e for e in entries if e["msgid"] == "")
    assert "Language: en\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"]
    assert "fuzzy" not in header["flags"]
    assert len(_messages()) > 300


def test_catalogue_has_no_untranslated_and_no_fuzzy_entries():
    untranslated, fuzzy = [], []
    for e in _messages():
        if "fuzzy" in e["flags"]:
            fuzzy.append(e["msgid"])
        strings = e["msgstr"] if isinstance(e["msgstr"], list) else [e["msgstr"]]
        if e["msgid_plural"] is not None and len(strings) != 2:
            untranslated.append(e["msgid"])
        if any(not s for s in strings):
            untranslated.append(e["msgid"])
    assert untranslated == [], f"untranslated: {untranslated}"
    assert fuzzy == [], f"fuzzy: {fuzzy}"


def test_translations_keep_their_placeholders():
    wrong = []
    for e in _messages():
        wanted = set(PLACEHOLDER.findall(e["msgid"] + (e["msgid_plural"] or "")))
        strings = e["msgstr"] if isinstance(e["msgstr"], list) else [e["msgstr"]]
        for s in strings:
            if set(PLACEHOLDER.findall(s)) != wanted:
                wrong.append((e["msgid"], s))
    assert wrong == []


@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext (msgfmt) not installed")
def test_msgfmt_finds_the_catalogue_complete_and_well_formed():
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own file
        [MSGFMT, "--check", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "translated message" in result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr


def _catalog(path: Path) -> dict:
    with path.open("rb") as fh:
        return dict(gettext.GNUTranslations(fh)._catalog)  # type: ignore[attr-defined]


def test_compiled_catalogue_matches_the_po_file():
    """Every message of the .po, as the committed .mo holds it (no msgfmt needed)."""
    compiled = _catalog(MO)
    expected: dict = {}
    for e in _messages():
        msgid = e["msgid"] if e["msgctxt"] is None else f"{e['msgctxt']}\x04{e['msgid']}"
        if e["msgid_plural"] is None:
            expected[msgid] = e["msgstr"]
        else:
            for i, s in enumerate(e["msgstr"]):
                expected[(msgid, i)] = s
    compiled.pop("", None)
    assert compiled == expected, "django.mo is stale: run `make messages`"


@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext (msgfmt) not installed")
def test_committed_mo_is_what_msgfmt_compiles_today(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run([MSGFMT, "--check-format", "-o", str(fresh), str(PO)], check=True)  # noqa: S603
    # Catalogues, header included, rather than bytes: another gettext version may lay out
    # the same catalogue differently.
    assert _catalog(MO) == _catalog(fresh), "django.mo is stale: run `make messages`"


# --- the language of a page ------------------------------------------------------------------


def test_my_cases_in_english_with_the_language_cookie(login, personas, case):
    response = _english(login(personas.owner)).get(reverse("cases:my_cases"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>My cases</h1>" in html
    assert "Mine sager" not in html
    assert case.number in html


def test_my_cases_in_danish_by_default(login, personas, case):
    response = login(personas.owner).get(reverse("cases:my_cases"), HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "da"
    html = response.content.decode()
    assert '<html lang="da">' in html
    assert "<h1>Mine sager</h1>" in html
    assert "My cases" not in html


def test_danish_without_any_language_hint(login, personas, case):
    response = login(personas.owner).get(reverse("cases:my_cases"))
    assert "<h1>Mine sager</h1>" in response.content.decode()


def test_case_page_in_english(login, personas, case):
    response = _english(login(personas.owner)).get(case.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for english in ("Overview", "Status and next steps", "Deadlines", "Access log", "Measure"):
        assert english in html
    for danish in ("Overblik", "Status og næste skridt", "Frister", "Adgangslog", "Sagsbehandler"):
        assert danish not in html


def test_language_switcher_posts_to_set_language_and_switches(login, personas, case):
    client = login(personas.owner)
    page = client.get(reverse("cases:my_cases"), HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert f'action="{reverse("set_language")}"' in page
    assert 'name="language"' in page and 'value="en"' in page
    assert reverse("set_language") == "/i18n/setlang/"

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/sager/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/sager/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get("/sager/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "<h1>My cases</h1>" in html and "Mine sager" not in html

    client.post("/i18n/setlang/", {"language": "da", "next": "/sager/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "da"
    html = client.get("/sager/").content.decode()
    assert "<h1>Mine sager</h1>" in html and "My cases" not in html


def test_language_switcher_refuses_an_unknown_language(login, personas):
    client = login(personas.owner)
    client.post("/i18n/setlang/", {"language": "xx", "next": "/sager/"})
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert "<h1>Mine sager</h1>" in client.get("/sager/").content.decode()


# --- dates stay Danish-shaped ----------------------------------------------------------------


@pytest.mark.parametrize("language", ["da", "en"])
def test_date_formats_are_day_month_year_in_both_languages(language):
    moment = timezone.make_aware(dt.datetime(2026, 11, 22, 9, 30))
    with translation.override(language):
        assert formats.date_format(moment.date(), "SHORT_DATE_FORMAT") == "22.11.2026"
        assert formats.date_format(moment.date(), "DATE_FORMAT") == "22.11.2026"
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "22.11.2026 09:30"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "22.11.2026 09:30"
        assert formats.time_format(moment, "TIME_FORMAT") == "09:30"
        assert "%d.%m.%Y" in formats.get_format("DATE_INPUT_FORMATS")


def test_english_case_page_shows_dates_as_22_11_2026(login, personas, case):
    opened = timezone.make_aware(dt.datetime(2026, 11, 22, 10, 15))
    type(case).objects.filter(pk=case.pk).update(opened_at=opened)
    case.measures.update(start_date=dt.date(2026, 11, 22))
    html = _english(login(personas.owner)).get(case.get_absolute_url()).content.decode()
    assert "22.11.2026" in html
    for american in ("Nov. 22, 2026", "November 22, 2026", "11/22/2026"):
        assert american not in html


def test_an_english_browser_still_gets_danish_until_the_user_chooses(login, personas, case):
    # Danish first: the browser's Accept-Language is not a choice; the switcher is.
    client = login(personas.owner)
    response = client.get(reverse("cases:my_cases"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert "Mine sager" in html and "My cases" not in html
    client.post("/i18n/setlang/", {"language": "en", "next": reverse("cases:my_cases")})
    html = client.get(reverse("cases:my_cases"), HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "My cases" in html
