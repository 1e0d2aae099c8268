"""The executive summary's chart: RAG counts per theme as horizontal stacked bars, built as SVG here (no
JavaScript, no chart library). The report puts a table of the same figures beside it."""

from __future__ import annotations

import base64
from xml.sax.saxutils import escape

from .data import ReportData

WIDTH = 680
LABEL_W = 230
BAR_W = WIDTH - LABEL_W - 50
ROW_H = 30
BAR_H = 20
LEGEND_H = 48
DARK_TEXT = {"amber", "none"}  # segments whose colour needs dark text


def _truncate(text: str, n: int = 34) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def rag_chart_svg(data: ReportData) -> str:
    themes = [t for t in data.themes if t.total]
    scale_max = max((t.total for t in themes), default=1)
    height = len(themes) * ROW_H + LEGEND_H + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="DejaVu Sans, sans-serif" font-size="11">'
    ]
    for i, theme in enumerate(themes):
        y = i * ROW_H + 5
        label = escape(_truncate(f"{theme.code}. {theme.title}"))
        parts.append(f'<text x="{LABEL_W - 8}" y="{y + BAR_H / 2 + 4}" text-anchor="end" fill="#1b1b1b">{label}</text>')
        x = float(LABEL_W)
        for value, _short, colour in data.statuses:
            n = theme.counts[value]
            if not n:
                continue
            w = BAR_W * n / scale_max
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_H}" fill="{colour}" '
                         f'stroke="#ffffff" stroke-width="1"/>')
            if w >= 14:
                text_colour = "#000000" if value in DARK_TEXT else "#ffffff"
                parts.append(f'<text x="{x + w / 2:.1f}" y="{y + BAR_H / 2 + 4}" text-anchor="middle" '
                             f'fill="{text_colour}" font-weight="bold">{n}</text>')
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + BAR_H / 2 + 4}" fill="#1b1b1b">{theme.total}</text>')
    y = len(themes) * ROW_H + 18
    x = float(LABEL_W)
    for _value, short, colour in data.statuses:
        parts.append(f'<rect x="{x:.1f}" y="{y}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16:.1f}" y="{y + 10}" fill="#1b1b1b">{escape(short)}</text>')
        x += 16 + 7 * len(short) + 14
        if x > WIDTH - 60:
            x, y = float(LABEL_W), y + 18
    parts.append("</svg>")
    return "".join(parts)


def rag_chart_data_uri(data: ReportData) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(rag_chart_svg(data).encode()).decode()


def rag_chart_alt(data: ReportData) -> str:
    """The chart's text alternative: what it shows, in one sentence per theme."""
    bits = []
    for theme in data.themes:
        if not theme.total:
            continue
        counts = ", ".join(f"{theme.counts[v]} {short.lower()}" for v, short, _c in data.statuses if theme.counts[v])
        bits.append(f"Theme {theme.code}: {counts}.")
    return "Bar chart of actions by status for each theme. " + " ".join(bits)
