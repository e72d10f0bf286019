"""The Word file of every document type, opened by LibreOffice's headless writer and printed to
PDF, against the PDF WeasyPrint renders from the same data: same pages, same text in the same
order, A4 with the same margins, and Times-metric fonts only. What a user's Word shows is then
what was signed.

LibreOffice runs with a private profile in a temporary folder (-env:UserInstallation) so that
parallel runs never share one. `make test` installs it (libreoffice-writer-nogui); CI always
runs this test.
"""

from __future__ import annotations

import collections
import difflib
import os
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from reports.tests.round_documents import (
    ALL_TYPES,
    MM,
    pdf_pages,
    pdf_text,
    render_round,
    split_numbers,
)

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db,
    pytest.mark.skipif(
        SOFFICE is None and not os.environ.get("CI"),
        reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui); "
        "CI always runs this test",
    ),
]
# Fonts metric-compatible with Times New Roman (the decree's font) and with full Vietnamese.
TIMES_METRIC = ("LiberationSerif", "TimesNewRoman", "Tinos")
# Tables: pdftotext may read the cells of a row in another order when their heights differ by
# a fraction of a point; the words must still be the same, and nearly all in the same order.
TABLE_ORDER = 0.97
WITH_TABLES = ("outline", "results")
PAGE_NUMBER = re.compile(r"^\d{1,3}$")


@pytest.fixture(scope="module")
def pairs(django_db_setup, django_db_blocker, tmp_path_factory):
    """(WeasyPrint PDF, LibreOffice PDF) of every type."""
    folder = tmp_path_factory.mktemp("parity")
    rendered = render_round(folder, django_db_blocker)
    out = folder / "libreoffice"
    profile = folder / "profile"
    subprocess.run(
        [
            SOFFICE or "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *(str(rendered[name].docx) for name in ALL_TYPES),
        ],
        capture_output=True,
        check=True,
        timeout=300,
    )
    return {name: (rendered[name].pdf, out / f"{name}.pdf") for name in ALL_TYPES}


def _words(path) -> list[str]:
    return [w for w in pdf_text(path).split() if not PAGE_NUMBER.match(w)]


@pytest.mark.parametrize("name", ALL_TYPES)
def test_word_file_has_the_same_page_count(pairs, name):
    weasy, office = (len(PdfReader(path).pages) for path in pairs[name])
    longest = name == "results"
    assert abs(weasy - office) <= (1 if longest else 0), (weasy, office)


@pytest.mark.parametrize("name", ALL_TYPES)
def test_word_file_has_the_same_text_in_the_same_order(pairs, name):
    weasy, office = (_words(path) for path in pairs[name])
    assert collections.Counter(weasy) == collections.Counter(office)
    ratio = difflib.SequenceMatcher(a=weasy, b=office, autojunk=False).ratio()
    assert ratio >= (TABLE_ORDER if name in WITH_TABLES else 1.0), ratio


@pytest.mark.parametrize("name", ALL_TYPES)
def test_word_file_is_a4_with_the_same_margins(pairs, name):
    weasy, office = (pdf_pages(path) for path in pairs[name])
    for page, (ours, theirs) in enumerate(zip(weasy, office, strict=False), start=1):
        assert (round(ours.width), round(ours.height)) == (
            round(theirs.width),
            round(theirs.height),
        ), page
        assert sorted((round(ours.width), round(ours.height))) == [595, 842]
        a, b = ours.body(), theirs.body()
        if not a or not b:
            continue
        # Left and right edges of the text, and its top, within 1 mm.
        assert abs(min(w.x_min for w in a) - min(w.x_min for w in b)) <= 1 * MM, page
        assert abs(max(w.x_max for w in a) - max(w.x_max for w in b)) <= 1 * MM, page
        assert abs(min(w.y_min for w in a) - min(w.y_min for w in b)) <= 1 * MM, page


@pytest.mark.parametrize("name", ALL_TYPES)
def test_word_file_uses_only_times_metric_fonts(pairs, name):
    out = subprocess.run(
        ["pdffonts", str(pairs[name][1])], capture_output=True, text=True, check=True
    ).stdout
    fonts = [line.split()[0].split("+")[-1] for line in out.splitlines()[2:] if line.strip()]
    assert fonts and all(font.startswith(TIMES_METRIC) for font in fonts), fonts


@pytest.mark.parametrize("name", ALL_TYPES)
def test_word_file_cuts_no_number_across_lines(pairs, name):
    assert split_numbers(pairs[name][1]) == []
