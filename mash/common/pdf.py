"""Documents that leave the MASH, as PDF (WeasyPrint, from a Django template).

Every page carries the security marking at its top and bottom (OFFICIAL-SENSITIVE, docs/domain.md
'Police intelligence'), the document's reference and its page number: the marking is the page's, so a
page printed alone still says how it must be handled. Templates extend ``pdf/base.html`` and fill
``{% block content %}``; the context's ``reference`` and ``title`` go on every page.

WeasyPrint fetches nothing: the stylesheet is inline in the base template and the URL fetcher refuses
every address, so text typed into a record can never make the server open a URL or read a file.
"""

from django.template.loader import render_to_string
from weasyprint import HTML

MARKING = "OFFICIAL-SENSITIVE"


class FetchRefused(ValueError):
    pass


def _refuse(url: str, *args, **kwargs):
    raise FetchRefused(f"A PDF may not fetch {url!r}.")


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """The PDF of ``template_name`` (which extends pdf/base.html) with ``context``."""
    html = render_to_string(template_name, {"marking": MARKING, **context}, request=request)
    return HTML(string=html, url_fetcher=_refuse, base_url=None).write_pdf()


def pdf_response(pdf: bytes, filename: str):
    """The PDF as a download, never cached by the browser or a proxy."""
    from django.http import HttpResponse

    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
