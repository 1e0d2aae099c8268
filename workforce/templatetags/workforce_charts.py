"""Server-rendered SVG bar charts (no JavaScript). Each chart is drawn from the same rows as the table
beside it, so a person who cannot see the chart gets the same figures."""

from django import template

register = template.Library()

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 220
BAR_SPACE = 300
VALUE_SPACE = 70


@register.inclusion_tag("workforce/_bar_chart.html")
def bar_chart(rows, title: str, chart_id: str, limit: int = 0):
    """rows: [(label, number)]. limit: draw only the first N bars (the table shows them all)."""
    rows = list(rows)
    drawn = rows[:limit] if limit else rows
    top = max((n for _label, n in drawn), default=0) or 1
    bars = []
    for index, (label, n) in enumerate(drawn):
        y = index * (BAR_HEIGHT + GAP)
        bars.append(
            {
                "label": label if len(label) <= 32 else label[:31] + "…",
                "n": n,
                "y": y,
                "text_y": y + BAR_HEIGHT * 0.7,
                "width": max(round(BAR_SPACE * n / top, 1), 1 if n else 0),
                "value_x": LABEL_WIDTH + max(round(BAR_SPACE * n / top, 1), 0) + 6,
            }
        )
    return {
        "bars": bars,
        "title": title,
        "chart_id": chart_id,
        "height": max(len(drawn) * (BAR_HEIGHT + GAP), BAR_HEIGHT),
        "width": LABEL_WIDTH + BAR_SPACE + VALUE_SPACE,
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "bar_height": BAR_HEIGHT,
        "truncated": len(drawn) < len(rows),
        "drawn": len(drawn),
    }
