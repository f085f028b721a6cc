"""The family portal on Det Fælles Designsystem (issue 16): the npm package pinned in
package.json and package-lock.json, its files copied into static/vendor/dkfds by
scripts/assets.sh and served by the static finders (fonts included, every url() of the CSS
found, nothing from another site), the portal's pages built from DKFDS's header, grid and
components with the municipality's name, and a Kontakt box with the caseworker's and the
therapist's phone, phone hours and e-mail. Staff pages keep their own stylesheet."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from demo import factories as f

ROOT = Path(settings.BASE_DIR)
VENDOR = "vendor/dkfds"
CSS = f"{VENDOR}/css/dkfds-borgerdk.min.css"


def locked_version() -> str:
    lock = json.loads((ROOT / "package-lock.json").read_text())
    return lock["packages"]["node_modules/dkfds"]["version"]


def test_dkfds_is_pinned_in_package_json_and_the_lock_and_the_copy_matches():
    package = json.loads((ROOT / "package.json").read_text())
    version = locked_version()
    assert package["dependencies"]["dkfds"] == version  # an exact version, no range
    assert (ROOT / "static" / VENDOR / "VERSION").read_text().strip() == version
    assert (ROOT / "static" / VENDOR / "LICENSE.md").is_file()


def test_the_make_steps_build_the_assets_before_running_and_testing():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^assets:\n\tscripts/assets\.sh$", makefile, flags=re.M)
    for target in ("setup", "test", "test-fast"):
        assert re.search(rf"^{target}: .*\bassets\b", makefile, flags=re.M), target
    assert "/node_modules/" in (ROOT / ".gitignore").read_text().splitlines()


def test_every_file_the_css_refers_to_is_served_by_the_static_finders():
    path = finders.find(CSS)
    assert path, "run scripts/assets.sh"
    css = Path(path).read_text()
    urls = {u.strip("'\"") for u in re.findall(r"url\(([^)]+)\)", css)}
    files = {u for u in urls if not u.startswith(("data:", "#"))}
    assert files, "the CSS refers to its fonts and icons"
    assert not [u for u in files if re.match(r"(https?:)?//", u)], "nothing from another site"
    for url in files:
        relative = (Path(VENDOR) / "css" / url.split("?")[0].split("#")[0]).as_posix()
        resolved = re.sub(r"[^/]+/\.\./", "", relative)
        assert finders.find(resolved), resolved
    assert "sourceMappingURL" not in css  # the maps are not copied


@pytest.mark.parametrize(
    "font",
    [
        "IBMPlexSans-Regular.woff2",
        "IBMPlexSans-SemiBold.woff2",
        "IBMPlexSans-Bold.woff2",
        "IBMPlexSans-Italic.woff2",
    ],
)
def test_the_ibm_plex_sans_fonts_are_served(font, client):
    path = f"{VENDOR}/fonts/IBMPlexSans/complete/woff2/{font}"
    assert finders.find(path)
    response = client.get(f"{settings.STATIC_URL}{path}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"wOF2"


@pytest.fixture
def contacts(personas):
    personas.owner.first_name, personas.owner.last_name = "Mette", "Kristensen"
    personas.owner.phone, personas.owner.phone_hours = "72 36 40 10", "Mandag–torsdag kl. 9–12"
    personas.owner.email = "mette@fjordby.example"
    personas.owner.save()
    personas.therapist.first_name, personas.therapist.last_name = "Louise", "Dam"
    personas.therapist.phone = "72 36 48 98"
    personas.therapist.phone_hours = "Mandag–fredag kl. 8–9"
    personas.therapist.email = "louise@fjordby.example"
    personas.therapist.save()
    return personas


def test_the_portal_is_built_on_dkfds_with_the_municipalitys_name(case, org, contacts, login):
    html = login(contacts.family_user).get(reverse("family:home")).content.decode()
    assert f'href="{settings.STATIC_URL}{CSS}"' in html
    assert f'src="{settings.STATIC_URL}{VENDOR}/js/dkfds.min.js"' in html
    for dkfds_class in (
        'class="header"',
        'class="portal-info"',
        'class="solution-info"',
        'class="authority-name"',
        'class="skipnav"',
        'class="footer"',
        "col-12 col-lg-9",
        'class="accordion-button"',
        "button button-secondary",
        'class="card contact-card"',
    ):
        assert dkfds_class in html, dkfds_class
    municipality = org.team_a.unit.municipality
    authority = html.split('class="authority-name"', 1)[1]
    assert authority.startswith(f">{municipality}<")
    assert "css/app.css" not in html  # the staff stylesheet is not loaded
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "nothing from another site"
    assert " style=" not in html and "<style" not in html  # the CSP allows no inline style


def test_the_kontakt_box_has_the_caseworkers_and_therapists_details(case, contacts, login):
    html = login(contacts.family_user).get(reverse("family:home")).content.decode()
    box = html.split('class="contact-box"', 1)[1].split("</section>", 1)[0]
    for expected in (
        ">Kontakt<",
        "Mette Kristensen",
        'href="tel:72364010"',
        "Mandag–torsdag kl. 9–12",
        'href="mailto:mette@fjordby.example"',
        "Louise Dam",
        'href="tel:72364898"',
        "Mandag–fredag kl. 8–9",
        "louise@fjordby.example",
    ):
        assert expected in box, expected


def test_form_errors_use_dkfds_error_messages(case, contacts, login):
    letter = f.letter_in_review(case.measures.get(), contacts.therapist, contacts.family_user)
    url = reverse("family:letter_approve", args=[case.pk, letter.pk])
    html = login(contacts.family_user).post(url, {}).content.decode()
    assert 'class="alert alert-error error-summary"' in html
    assert 'class="form-group form-error"' in html
    error = re.search(r'<span class="form-error-message" id="([^"]+)">', html)
    assert error is not None
    assert re.search(rf'aria-describedby="[^"]*{error.group(1)}[^"]*"', html)
    assert 'aria-invalid="true"' in html


def test_staff_pages_keep_their_own_stylesheet(case, personas, login):
    html = login(personas.owner).get(reverse("cases:case_detail", args=[case.pk])).content
    assert b"css/app.css" in html and b"vendor/dkfds" not in html
