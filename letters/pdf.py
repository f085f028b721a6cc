"""The closing status letter as a PDF. Rendering is a pure function of the stored version (and
the case data it names): the same input gives the same PDF, and rendering changes nothing.

``render_letter_pdf(version)`` turns one version of a letter, and the case data it names (the
child, the case number, the measure, the municipality, the network map and the scaling
answers), into PDF bytes and has no side effects; the task in ``letters.tasks`` stores the result.
``render_letter_preview(version)`` draws the same letter marked as a draft, for reading before it
is sent; it is never stored.

WeasyPrint only ever sees our own static files: ``StaticOnlyFetcher`` refuses every other URL
(http, https, file:// outside the static directories), so a text in a letter can never make the
renderer reach the network or the server's disk. Each render builds its document and images
afresh and lets them go; only the font configuration (fontconfig and Pango's font map, which
hold no letter content) is made once per thread and reused: WeasyPrint makes a new one per
document unless given one, and each of those keeps about 0.2 MB of C memory that is never freed.
"""

import datetime as dt
import mimetypes
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from cases.models import FamilyMember
from letters.contacts import caseworker_contact, contact_of
from letters.models import ClosingLetterVersion, LetterRendering, LetterSection
from letters.services import provider_name
from network import selectors as network_selectors
from plans import selectors as plan_selectors
from plans.models import Plan

TEMPLATE = "letters/letter_pdf.html"
# The document's own address. ``.invalid`` never resolves (RFC 2606): a URL under it is only
# ever answered by the fetcher below, from the static files.
BASE_URL = "https://familievaerft.invalid/"


class LetterResourceRefused(ValueError):
    """The letter asked for something that is not one of the app's static files."""


# --- the URL fetcher -------------------------------------------------------------------------


def _static_roots() -> list[Path]:
    roots = [Path(root).resolve() for root in getattr(settings, "STATICFILES_DIRS", [])]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def _all_static_roots() -> list[Path]:
    """STATICFILES_DIRS, STATIC_ROOT and every installed app's ``static`` directory."""
    return _static_roots() + [
        (Path(app.path) / "static").resolve() for app in apps.get_app_configs()
    ]


def _static_path(relative: str) -> Path | None:
    """The file behind a static path like ``css/letter-pdf.css`` (the finders first, as in
    development, then STATIC_ROOT, as after collectstatic); None when there is none."""
    relative = relative.lstrip("/")
    if not relative or ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if isinstance(found, list):
        found = found[0] if found else None
    if found:
        path = Path(found).resolve()
        # A symbolic link in a static directory must not lead out of the static directories.
        return path if any(path.is_relative_to(root) for root in _all_static_roots()) else None
    if settings.STATIC_ROOT:
        root = Path(settings.STATIC_ROOT).resolve()
        candidate = (root / relative).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    return None


class StaticOnlyFetcher(URLFetcher):
    """Serves the app's own static files to WeasyPrint and nothing else (``data:`` URLs, which
    carry their content with them, are allowed)."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        path = self._resolve(url)
        if path is None:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            raise LetterResourceRefused(f"Refused to fetch {url[:80]!r} for a letter")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url=path.as_uri(),
            body=path.read_bytes(),
            headers={"Content-Type": content_type},
        )

    @staticmethod
    def _resolve(url: str) -> Path | None:
        parts = urlsplit(url)
        static_prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
        if url.startswith(static_prefix):
            return _static_path(unquote(parts.path)[len(settings.STATIC_URL) :])
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(url2pathname(parts.path)).resolve()
            if path.is_file() and (
                any(path.is_relative_to(root) for root in _static_roots()) or _app_static(path)
            ):
                return path
        return None


def _app_static(path: Path) -> bool:
    """Whether ``path`` is what the finders serve for its name below a ``static`` directory
    (an installed app's own static files)."""
    parts = path.parts
    if "static" not in parts:
        return False
    relative = "/".join(parts[len(parts) - parts[::-1].index("static") :])
    return _static_path(relative) == path


# --- the letter's content --------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A paragraph (its lines) or a bulleted list (its items) of a section's text."""

    kind: str  # "p" or "ul"
    lines: list[str]


@dataclass(frozen=True)
class PrintedSection:
    value: str
    label: str
    blocks: list[Block]
    figure: SafeString | None = None
    figure_caption: str = ""


_BULLET = re.compile(r"^\s*[-•*]\s+")
_STRAIGHT_QUOTES = re.compile(r'"([^"\n]+)"')


def danish_quotes(line: str) -> str:
    """Straight double quotes in pairs become the Danish »…«."""
    return _STRAIGHT_QUOTES.sub("»\\1«", line)


def text_blocks(text: str) -> list[Block]:
    """A section's plain text as paragraphs (split at blank lines) and lists (lines that start
    with ``- ``), as the therapist wrote it."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", (text or "").strip()):
        lines: list[str] = []
        items: list[str] = []
        for raw in chunk.splitlines():
            if not raw.strip():
                continue
            if _BULLET.match(raw):
                if lines:
                    blocks.append(Block("p", lines))
                    lines = []
                items.append(danish_quotes(_BULLET.sub("", raw).strip()))
            else:
                if items:
                    blocks.append(Block("ul", items))
                    items = []
                lines.append(danish_quotes(raw.strip()))
        if lines:
            blocks.append(Block("p", lines))
        if items:
            blocks.append(Block("ul", items))
    return blocks


def _letter_date(version: ClosingLetterVersion) -> dt.date:
    """The day the letter was released for sending (the rendering was queued then); a preview
    is dated today."""
    rendering = LetterRendering.objects.filter(version=version).only("queued_at").first()
    if rendering is not None:
        return timezone.localdate(rendering.queued_at)
    return timezone.localdate()


def _family_address(version: ClosingLetterVersion) -> dict[str, Any]:
    case = version.letter.case
    child = case.citizen
    membership = (
        FamilyMember.objects.filter(citizen=child, is_child=True)
        .select_related("family")
        .order_by("id")
        .first()
    )
    family = membership.family if membership is not None else None
    street = (family.address if family is not None and family.address else "") or child.address
    town = f"{child.postal_code} {child.city}".strip()
    if town and town in street:  # the address already ends in postcode and town
        town = ""
    return {
        "name": family.name if family is not None else child.full_name,
        "lines": [line for line in (street, town) if line],
    }


def _rating_chart(case: Any) -> SafeString | None:
    plan = Plan.objects.filter(case=case).first()
    if plan is None:
        return None
    history = plan_selectors.plan_rating_history(plan=plan)
    if not any(r.values for r in history.overall.raters):
        return None
    chart = plan_selectors.rating_chart(
        group=history.overall,
        rounds=history.rounds,
        title=_("Samlet vurdering på skalaen 0–10"),
        id_prefix="brev-vurdering",
    )
    # plans.charts escapes every text it draws.
    return mark_safe(chart.svg)


def _network_map(case: Any) -> SafeString | None:
    members = list(network_selectors.active_members(case))
    if not members:
        return None
    return network_selectors.draw_map(case=case, members=members, id_prefix="brev-netvaerk")


def letter_context(version: ClosingLetterVersion, *, draft: bool = False) -> dict[str, Any]:
    """Everything the template prints, read from the version and its case."""
    version = ClosingLetterVersion.objects.select_related(
        "letter__case__citizen",
        "letter__case__owner",
        "letter__case__team__unit",
        "letter__measure__legal_basis",
        "letter__measure__provider_team__unit",
        "letter__author",
    ).get(pk=version.pk)
    letter = version.letter
    case = letter.case
    measure = letter.measure
    unit = case.team.unit
    chart = _rating_chart(case)
    network_map = _network_map(case)
    sections = []
    for value, label in LetterSection.choices:
        figure, caption = None, ""
        if value == LetterSection.GOALS and chart is not None:
            figure, caption = chart, _("Familiens og de professionelles svar på skalaen 0–10.")
        elif value == LetterSection.HANDOVER and network_map is not None:
            figure, caption = network_map, _("Barnets netværkskort.")
        sections.append(
            PrintedSection(
                value=value,
                label=str(label),
                blocks=text_blocks(version.sections.get(value, "")),
                figure=figure,
                figure_caption=caption,
            )
        )
    subject = _("Afsluttende statusskrivelse")
    author = letter.author
    provider = provider_name(measure.provider_team)
    return {
        "draft": draft,
        "title": f"{subject} – {_('Sag')} {case.number}",
        "subject": subject,
        "letter": letter,
        "version": version,
        "case": case,
        "child_name": case.citizen.full_name,
        "measure": measure,
        "municipality": unit.municipality,
        "unit": unit,
        "team": case.team,
        "caseworker": case.owner,
        "author": author,
        "author_name": author.get_full_name() or author.get_username(),
        # The signature: the therapist's name and title, and the provider said once.
        "author_title": author.title,
        "provider": provider,
        "provider_team": measure.provider_team,
        # How the family reaches the caseworker and the therapist (their profiles).
        "contacts": [
            caseworker_contact(case.owner, organisation=unit.name),
            contact_of(author, organisation=provider),
        ]
        if author.pk != case.owner_id
        else [caseworker_contact(case.owner, organisation=unit.name)],
        "recipient": _family_address(version),
        "letter_date": _letter_date(version),
        "measure_end": measure.ended_on or measure.planned_end_date,
        "sections": sections,
        "logo_url": static("img/letterhead-logo.svg"),
        "stylesheet_url": static("css/letter-pdf.css"),
    }


def render_letter_html(version: ClosingLetterVersion, *, draft: bool = False) -> str:
    """The letter as HTML, in Danish whatever language the request or worker runs in."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(TEMPLATE, letter_context(version, draft=draft))


_fonts = threading.local()


def font_configuration() -> FontConfiguration:
    """This thread's WeasyPrint font configuration, made on first use.

    A ``FontConfiguration`` loads fontconfig's configuration and makes a Pango font map; neither
    is given back to the system when the object goes (about 0.2 MB per letter when WeasyPrint
    makes one per document, which is its default). It holds only the installed fonts and
    caches of their metrics, never a letter's content, so one per thread serves every letter;
    Pango's font map is not safe to share between threads, hence one per thread rather than
    per process."""
    config: FontConfiguration | None = getattr(_fonts, "config", None)
    if config is None:
        config = _fonts.config = FontConfiguration()
    return config


def _pdf(html: str) -> bytes:
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())
    # A tagged PDF (headings, lists, figures with their text alternatives) for screen readers.
    pdf = document.write_pdf(pdf_tags=True, font_config=font_configuration())
    assert pdf is not None  # no target given: the bytes are returned
    return pdf


def render_letter_pdf(version: ClosingLetterVersion) -> bytes:
    """The letter to send, as PDF bytes. No side effects."""
    return _pdf(render_letter_html(version))


def render_letter_preview(version: ClosingLetterVersion) -> bytes:
    """The letter as it will look, marked »Udkast til gennemsyn« on every page. Not stored."""
    return _pdf(render_letter_html(version, draft=True))
