"""The PDFs that leave the MASH: marked on every page, and they fetch nothing."""

import io

import pytest
from django.template import engines
from pypdf import PdfReader

from mash.common import pdf


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def render(body: str, **context) -> bytes:
    source = '{% extends "pdf/base.html" %}{% block content %}' + body + "{% endblock %}"
    template = engines["django"].from_string(source)
    html = template.render({"marking": pdf.MARKING, **context})
    return pdf.HTML(string=html, url_fetcher=pdf._refuse).write_pdf()


def test_every_page_carries_the_marking_the_reference_and_its_number():
    body = "{% for i in rows %}<p class='item'>Paragraph {{ i }} of the disclosure.</p>{% endfor %}"
    pages = pages_text(render(body, title="Disclosure", reference="DIS-2026-0042", rows=range(120)))
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert text.count("OFFICIAL-SENSITIVE") >= 2, text  # top and bottom
        assert "DIS-2026-0042" in text
        assert f"Page {number} of {len(pages)}" in text


def test_typed_text_is_text_not_markup_and_nothing_is_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SERVER-FILE-CONTENT")
    typed = f'<img src="file://{secret}"><link rel="stylesheet" href="file://{secret}">'
    data = render("<p>{{ typed }}</p>", title="T", reference="R-1", typed=typed)
    text = "".join(pages_text(data))
    assert "<img src=" in text  # shown as typed, escaped
    assert "SERVER-FILE-CONTENT" not in text


def test_the_fetcher_refuses_every_address():
    with pytest.raises(pdf.FetchRefused):
        pdf._refuse("http://169.254.169.254/latest/meta-data/")
