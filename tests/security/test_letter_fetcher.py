"""WeasyPrint fetches nothing but the app's own static files (letters/pdf.py).

tests/letters/test_letter_pdf.py covers http(s), ftp, /etc/passwd and traversal through the static
URL; here the files of the app itself that are not static: its source, its settings, the
rendered letters in MEDIA_ROOT, and a symbolic link in a static directory pointing out of it.
"""

from pathlib import Path

import pytest
from django.conf import settings

from letters.pdf import BASE_URL, LetterResourceRefused, StaticOnlyFetcher

ROOT = Path(settings.BASE_DIR)


@pytest.mark.parametrize(
    "path",
    [
        ROOT / "familievaerft" / "settings.py",
        ROOT / "pyproject.toml",
        ROOT / "templates" / "letters" / "letter_pdf.html",
        ROOT / "static" / ".." / "manage.py",
    ],
    ids=lambda p: p.name,
)
def test_files_of_the_app_outside_static_are_refused(path):
    assert path.exists()
    with pytest.raises(LetterResourceRefused):
        StaticOnlyFetcher().fetch(path.as_uri().replace("/static/..", "/static/%2e%2e"))
    with pytest.raises(LetterResourceRefused):
        StaticOnlyFetcher().fetch(f"file://{path}")


def test_rendered_letters_in_media_are_refused(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    letter = tmp_path / "letters" / "a.pdf"
    letter.parent.mkdir()
    letter.write_bytes(b"%PDF-1.7")
    with pytest.raises(LetterResourceRefused):
        StaticOnlyFetcher().fetch(letter.as_uri())


def test_a_link_out_of_a_static_directory_is_refused(tmp_path, settings):
    static = tmp_path / "static"
    static.mkdir()
    (static / "secret.css").symlink_to(ROOT / "pyproject.toml")
    settings.STATICFILES_DIRS = [static]
    with pytest.raises(LetterResourceRefused):
        StaticOnlyFetcher().fetch((static / "secret.css").as_uri())
    with pytest.raises(LetterResourceRefused):
        StaticOnlyFetcher().fetch(f"{BASE_URL}static/secret.css")


def test_a_remote_host_in_a_file_url_is_refused():
    with pytest.raises(LetterResourceRefused):
        StaticOnlyFetcher().fetch("file://evil.example/static/css/letter-pdf.css")
