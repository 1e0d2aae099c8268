"""The Board report as a tagged PDF (PDF/UA-1) from templates/actions/report/report.html and
static/actions/report.css. Stand-alone: no request, no network, fonts from the system.

Render time is WeasyPrint's, and it grows with the number of boxes it lays out (every paragraph, table cell
and inline span is one), not with the length of their text; bench/report_render.py measures it. What keeps it
down, here and in the template and stylesheet:
- the stylesheet is parsed once per process, and each thread keeps one FontConfiguration (Pango's font map
  is not for sharing between threads), so the fonts stay loaded from one report to the next in a worker;
- Python's cyclic garbage collector is paused while WeasyPrint works: a render allocates a few million
  objects that all live until the PDF is written, and the collector would otherwise walk them again and again
  (about a tenth of the CPU time at 1,000 actions, nothing measurable at 100). It runs once afterwards.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from functools import cache

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from core.pdf import table_header_scopes

from .chart import rag_chart_alt, rag_chart_data_uri
from .data import ReportData

PDF_VARIANT = "pdf/ua-1"


def report_html(data: ReportData) -> str:
    return render_to_string("actions/report/report.html", {
        "r": data,
        "chart_src": rag_chart_data_uri(data),
        "chart_alt": rag_chart_alt(data),
    })


_per_thread = threading.local()


def _font_config() -> FontConfiguration:
    if not hasattr(_per_thread, "font_config"):
        _per_thread.font_config = FontConfiguration()
    return _per_thread.font_config


@cache
def _stylesheet() -> CSS:
    return CSS(filename=finders.find("actions/report.css"))  # no @font-face: needs no font configuration


@contextmanager
def _collector_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect()


def _render(html: str) -> bytes:
    return HTML(string=html, base_url=None).write_pdf(
        stylesheets=[_stylesheet()], font_config=_font_config(), pdf_variant=PDF_VARIANT, custom_metadata=True,
        finisher=table_header_scopes)  # every TH gets its /Scope (PDF/UA), before the bytes are written


def report_pdf(data: ReportData) -> bytes:
    html = report_html(data)
    with _collector_paused():
        return _render(html)  # the document is released on return, before the collector runs
