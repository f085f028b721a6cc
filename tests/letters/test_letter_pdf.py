"""The closing letter as a PDF: a pure function of the version (letters/pdf.py)."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader

from demo import factories as f
from letters import pdf as letter_pdf
from letters.models import LetterRendering, LetterSection
from letters.pdf import (
    BASE_URL,
    LetterResourceRefused,
    StaticOnlyFetcher,
    render_letter_html,
    render_letter_pdf,
    render_letter_preview,
    text_blocks,
)
from network.models import NetworkMember
from plans.models import Plan, Rating, RatingRound


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def squash(text: str) -> str:
    """Text extracted from a PDF breaks lines (and hyphenates) where the layout did."""
    return "".join(text.replace("-\n", "").split())


@pytest.fixture
def version(case, personas):
    case.number = "2026-00042"
    case.save(update_fields=["number"])
    case.team.unit.municipality = "Fjordby Kommune"
    case.team.unit.name = "Børne- og Familieafdelingen"
    case.team.unit.save()
    return f.closing_letter_version(case.measures.get(), personas.therapist)


@pytest.fixture
def with_map_and_chart(case, personas):
    NetworkMember.objects.create(
        case=case, name="Mormor Grethe", sector="relatives", circle=1, created_by=personas.owner
    )
    NetworkMember.objects.create(
        case=case, name="Lærer Sofie", sector="school", circle=2, created_by=personas.owner
    )
    plan = Plan.objects.create(case=case, kind=Plan.Kind.CHILDS_PLAN, created_by=personas.owner)
    for days, value in ((90, 3), (30, 6)):
        rating_round = RatingRound.objects.create(
            plan=plan,
            held_on=timezone.localdate() - dt.timedelta(days=days),
            recorded_by=personas.owner,
        )
        Rating.objects.create(
            round=rating_round, goal=None, rater_kind="parent", rater_name="Mor", value=value
        )


def test_the_pdf_has_every_section_the_child_and_page_numbers(version, case):
    pdf = render_letter_pdf(version)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    flat = squash(text)
    for label in LetterSection.labels:
        assert squash(str(label)) in flat
    for line in (
        "Indsatsen begyndte i foråret.",
        "Samarbejde med skolen",
        "Mormor Grethe og skolens AKT-lærer tager over.",
    ):
        assert squash(line) in flat, line
    assert squash(case.citizen.full_name) in flat
    assert "Side 1 af" in text
    assert "Sag 2026-00042" in text
    assert "Fjordby Kommune" in text and "Afsluttende statusskrivelse" in text
    # Danish quotation marks for the family's own words.
    assert "»Vi har fået ro på morgenerne.«" in text.replace("\n", " ")
    assert case.citizen.cpr not in text and case.citizen.cpr not in pdf.decode("latin-1")


def test_metadata_title_author_language(version, case, personas):
    pdf = render_letter_pdf(version)
    reader = PdfReader(io.BytesIO(pdf))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == f"Afsluttende statusskrivelse – Sag {case.number}"
    assert meta.author == personas.therapist.get_full_name()
    assert reader.trailer["/Root"].get("/Lang") == "da"


def test_every_page_says_which_of_how_many(case, personas):
    long_text = "\n\n".join(
        f"Afsnit {n}: " + "Vi har arbejdet med hverdagen. " * 20 for n in range(12)
    )
    version = f.closing_letter_version(
        case.measures.get(), personas.therapist, {s: long_text for s in LetterSection.values}
    )
    text_pages = [p.extract_text() for p in PdfReader(io.BytesIO(render_letter_pdf(version))).pages]
    total = len(text_pages)
    assert total >= 3
    for number, page in enumerate(text_pages, start=1):
        assert f"Side {number} af {total}" in page


def test_the_network_map_and_the_rating_chart_are_drawn_in(version, with_map_and_chart):
    html = render_letter_html(version)
    assert html.count("<svg") == 2
    assert 'id="brev-netvaerk-title"' in html and 'id="brev-vurdering-title"' in html
    text = pdf_text(render_letter_pdf(version))
    assert "Mormor" in text  # a name on the map


def test_without_network_or_plan_there_are_no_figures(version):
    assert "<svg" not in render_letter_html(version)


def test_the_html_is_the_same_for_the_same_version(version, with_map_and_chart):
    LetterRendering.objects.create(version=version)
    first = render_letter_html(version)
    assert render_letter_html(version) == first
    assert 'lang="da"' in first


def test_the_letter_is_dated_when_it_was_released(version):
    LetterRendering.objects.create(
        version=version,
        queued_at=timezone.make_aware(dt.datetime(2026, 11, 22, 9, 30)),
    )
    html = render_letter_html(version)
    assert "22.11.2026" in html
    assert "22.11.2026" in pdf_text(render_letter_pdf(version))


def test_the_text_of_the_family_is_escaped(case, personas):
    version = f.closing_letter_version(
        case.measures.get(),
        personas.therapist,
        {"course": '<img src="http://example.com/x.png"><script>x()</script>'},
    )
    html = render_letter_html(version)
    assert "<script>" not in html and '<img src="http' not in html
    assert render_letter_pdf(version).startswith(b"%PDF")


def test_the_preview_is_marked_as_a_draft(version):
    text = pdf_text(render_letter_preview(version))
    assert "Udkast til gennemsyn" in text
    assert "Udkast til gennemsyn" not in pdf_text(render_letter_pdf(version))


def test_text_blocks_paragraphs_and_lists():
    blocks = text_blocks('Første linje\nanden linje\n\n- et\n- "to"\nbagefter')
    assert [(b.kind, b.lines) for b in blocks] == [
        ("p", ["Første linje", "anden linje"]),
        ("ul", ["et", "»to«"]),
        ("p", ["bagefter"]),
    ]
    assert text_blocks("") == []


# --- the URL fetcher ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/",
        "https://example.com/logo.png",
        "file:///etc/passwd",
        f"{BASE_URL}static/../../etc/passwd",
        f"{BASE_URL}media/letters/x.pdf",
        "ftp://example.com/x",
    ],
)
def test_the_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(LetterResourceRefused):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_a_static_stylesheet():
    response = StaticOnlyFetcher().fetch(f"{BASE_URL}static/css/letter-pdf.css")
    body = response.read()
    response.close()
    assert b"@page" in body
    assert response.content_type == "text/css"


def test_the_fetcher_serves_a_static_file_by_its_file_url():
    path = Path(settings.BASE_DIR) / "static" / "css" / "letter-pdf.css"
    response = StaticOnlyFetcher().fetch(path.as_uri())
    assert b"@page" in response.read()
    response.close()


def test_the_fetcher_allows_data_urls():
    response = StaticOnlyFetcher().fetch("data:text/plain;base64,aGVq")
    assert response.read() == b"hej"


def test_the_renderer_never_fetches_from_outside(version, monkeypatch):
    asked: list[str] = []
    original = StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    render_letter_pdf(version)
    assert asked  # the stylesheet and the logo went through the fetcher
    assert all(url.startswith(f"{BASE_URL}static/") for url in asked), asked


def test_no_cache_grows_with_each_letter(version):
    # Nothing module-level in letter_pdf keeps a letter after it is rendered.
    before = {name: repr(value) for name, value in vars(letter_pdf).items()}
    render_letter_pdf(version)
    render_letter_preview(version)
    after = {name: repr(value) for name, value in vars(letter_pdf).items()}
    assert before == after


def test_the_same_version_gives_the_same_bytes(version):
    # The stored file's name carries the content's hash: a second render must match it.
    LetterRendering.objects.create(version=version)
    assert render_letter_pdf(version) == render_letter_pdf(version)


def test_font_configuration_is_made_once_per_thread():
    """WeasyPrint's default is a new FontConfiguration per document, and each keeps about
    0.2 MB of C memory for good (make bench); a thread reuses its own."""
    import threading

    first = letter_pdf.font_configuration()
    assert letter_pdf.font_configuration() is first
    other: list[object] = []
    thread = threading.Thread(target=lambda: other.append(letter_pdf.font_configuration()))
    thread.start()
    thread.join()
    assert other and other[0] is not first
