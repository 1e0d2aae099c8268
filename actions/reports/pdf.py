"""The Board report as a tagged PDF (PDF/UA-1), stand-alone: no request, no network. Render time follows
WeasyPrint's boxes: the stylesheet and fonts are kept, the garbage collector paused (docs/actions.md)."""

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
