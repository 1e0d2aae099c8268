"""Colour contrast as WCAG 2.2 defines it (relative luminance, ratio 1–21), for the theme's test and for the
partnership's accent colour, which is refused below AA's 4.5:1 against white (docs/design.md)."""

import re

HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
AA_TEXT = 4.5
AA_NON_TEXT = 3.0


def hex_to_rgb(value: str) -> tuple[int, int, int]:
    if not HEX.match(value):
        raise ValueError(f"not a colour like #1d70b8: {value!r}")
    digits = value[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _channel(c: int) -> float:
    s = c / 255
    return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4


def relative_luminance(value: str) -> float:
    r, g, b = (_channel(c) for c in hex_to_rgb(value))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two colours, e.g. 21.0 for black on white."""
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
