"""The Board report as a tagged PDF (PDF/UA-1) from templates/actions/report/report.html and
static/actions/report.css. Stand-alone: no request, no network, fonts from the system."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import CSS, HTML

from .chart import rag_chart_alt, rag_chart_data_uri
from .data import ReportData

PDF_VARIANT = "pdf/ua-1"


def report_html(data: ReportData) -> str:
    return render_to_string("actions/report/report.html", {
        "r": data,
        "chart_src": rag_chart_data_uri(data),
        "chart_alt": rag_chart_alt(data),
    })


def report_pdf(data: ReportData) -> bytes:
    stylesheet = CSS(filename=finders.find("actions/report.css"))
    document = HTML(string=report_html(data), base_url=None)
    return document.write_pdf(stylesheets=[stylesheet], pdf_variant=PDF_VARIANT,
                              custom_metadata=True)
