"""Every text and control colour of the theme (static/portal/theme.css, and the state colours of portal.css) meets
WCAG 2.2 AA: text 4.5:1 on the background it is drawn on, control boundaries and focus 3:1 (1.4.3, 1.4.11)."""

import re
from pathlib import Path

import pytest

from core.colours import AA_NON_TEXT, AA_TEXT, contrast_ratio

STATIC = Path(__file__).resolve().parents[2] / "static" / "portal"


def _properties() -> dict[str, str]:
    text = (STATIC / "theme.css").read_text()
    root = text[text.index(":root {"): text.index("\n}\n")]
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{3,6})\b", root))


P = _properties()
WHITE = "#ffffff"

TEXT_PAIRS = [  # (what, foreground, background)
    ("body text", P["--portal-text"], P["--portal-bg"]),
    ("body text on panels and the footer", P["--portal-text"], P["--portal-bg-light"]),
    ("hints and captions", P["--portal-text-secondary"], P["--portal-bg"]),
    ("hints on panels", P["--portal-text-secondary"], P["--portal-bg-light"]),
    ("links", P["--portal-accent"], P["--portal-bg"]),
    ("links on panels", P["--portal-accent"], P["--portal-bg-light"]),
    ("links hovered", P["--portal-accent-dark"], P["--portal-bg"]),
    ("primary button text", WHITE, P["--portal-accent"]),
    ("primary button hovered", WHITE, P["--portal-accent-dark"]),
    ("outline button text", P["--portal-accent"], WHITE),
    ("secondary button text", P["--portal-text"], P["--portal-bg-light"]),
    ("header text", WHITE, P["--portal-header-bg"]),
    ("focused link text", P["--portal-focus-text"], P["--portal-focus"]),
    ("error messages", P["--portal-error-text"], P["--portal-bg"]),
    ("danger button text", WHITE, "#aa2a16"),
    ("success button text", WHITE, P["--portal-success"]),
    ("warning banner text", P["--portal-text"], P["--tag-yellow-bg"]),
]
TAGS = sorted({name.split("-")[3] for name in P if name.startswith("--tag-")})
TEXT_PAIRS += [(f"{tag} tag", P[f"--tag-{tag}-text"], P[f"--tag-{tag}-bg"]) for tag in TAGS]
# portal.css's RAG states (the action plan) and the overdue flag: words on a filled box.
TEXT_PAIRS += [("red RAG", WHITE, "#b3261e"), ("amber RAG", "#000000", "#ffb000"), ("green RAG", WHITE, "#1a7f37"),
               ("completed RAG", WHITE, "#1d3f72"), ("no RAG", "#000000", "#e9ecef"), ("dropped RAG", WHITE, "#595959"),
               ("overdue flag", "#8a1c15", WHITE), ("skip link", "#000000", "#ffbf47")]

NON_TEXT_PAIRS = [
    ("form control boundary", P["--portal-input-border"], P["--portal-bg"]),
    ("error boundary", P["--portal-error"], P["--portal-bg"]),
    ("focus ring's inner black rule against its yellow", P["--portal-focus-text"], P["--portal-focus"]),
    ("focus on the dark header", P["--portal-focus"], P["--portal-header-bg"]),
    ("secondary button boundary", P["--portal-text-secondary"], P["--portal-bg"]),
    ("the header's accent rule against the header", P["--portal-accent"], P["--portal-header-bg"]),
]


def test_the_ratio_is_wcags():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#1d70b8", "#fff") == pytest.approx(5.17, abs=0.01)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near miss


def test_the_theme_declares_its_colours():
    assert {"--portal-accent", "--portal-text", "--portal-focus"} <= set(P)
    assert len(TAGS) >= 6, TAGS


@pytest.mark.parametrize(("what", "fg", "bg"), TEXT_PAIRS, ids=[p[0] for p in TEXT_PAIRS])
def test_text_colours_meet_aa(what, fg, bg):
    assert contrast_ratio(fg, bg) >= AA_TEXT, f"{what}: {fg} on {bg} is {contrast_ratio(fg, bg):.2f}:1"


@pytest.mark.parametrize(("what", "fg", "bg"), NON_TEXT_PAIRS, ids=[p[0] for p in NON_TEXT_PAIRS])
def test_control_and_focus_colours_meet_aa(what, fg, bg):
    assert contrast_ratio(fg, bg) >= AA_NON_TEXT, f"{what}: {fg} on {bg} is {contrast_ratio(fg, bg):.2f}:1"
