"""The risk map: an SVG drawn on the server, readable in greyscale (every band is labelled in words,
not only shaded), with a title and description for screen readers. The report also gives a table."""

from __future__ import annotations

from xml.sax.saxutils import escape

BAND_FILL = {"low": "#f0f0f0", "medium": "#b8b8b8", "high": "#5a5a5a"}
BAND_TEXT = {"low": "#1b1b1b", "medium": "#1b1b1b", "high": "#ffffff"}
CELL, MARGIN_LEFT, MARGIN_TOP, MARGIN_BOTTOM = 64, 86, 30, 52


def risk_map_svg(*, points: list[tuple[str, int, int]], band, title: str, description: str,
                 severity_labels: list[str], likelihood_labels: list[str], band_labels: dict[str, str],
                 axis_severity: str, axis_likelihood: str, element_id: str) -> str:
    """`points` are (marker, severity 1-4, likelihood 1-4); `band(severity, likelihood)` names a cell."""
    width = MARGIN_LEFT + 4 * CELL + 10
    height = MARGIN_TOP + 4 * CELL + MARGIN_BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="risk-map" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{element_id}-title {element_id}-desc">',
        f'<title id="{element_id}-title">{escape(title)}</title>',
        f'<desc id="{element_id}-desc">{escape(description)}</desc>',
    ]
    for severity in range(1, 5):
        for likelihood in range(1, 5):
            x = MARGIN_LEFT + (likelihood - 1) * CELL
            y = MARGIN_TOP + (4 - severity) * CELL
            cell_band = band(severity, likelihood)
            parts.append(f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{BAND_FILL[cell_band]}" '
                         'stroke="#1b1b1b" stroke-width="1"/>')
            parts.append(f'<text x="{x + 4}" y="{y + 12}" font-size="9" fill="{BAND_TEXT[cell_band]}" '
                         f'font-family="DejaVu Sans, sans-serif">{escape(band_labels[cell_band])}</text>')
            here = [marker for marker, s, li in points if s == severity and li == likelihood]
            for index, marker in enumerate(here[:8]):
                cx = x + 14 + (index % 3) * 18
                cy = y + 28 + (index // 3) * 16
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="8" fill="#ffffff" stroke="#1b1b1b"/>')
                parts.append(f'<text x="{cx}" y="{cy + 3.5}" font-size="9" text-anchor="middle" fill="#1b1b1b" '
                             f'font-family="DejaVu Sans, sans-serif">{escape(marker)}</text>')
    for severity in range(1, 5):
        y = MARGIN_TOP + (4 - severity) * CELL + CELL / 2
        parts.append(f'<text x="{MARGIN_LEFT - 6}" y="{y + 3}" font-size="10" text-anchor="end" '
                     f'font-family="DejaVu Sans, sans-serif">{escape(severity_labels[severity - 1])}</text>')
    for likelihood in range(1, 5):
        x = MARGIN_LEFT + (likelihood - 1) * CELL + CELL / 2
        parts.append(f'<text x="{x}" y="{MARGIN_TOP + 4 * CELL + 14}" font-size="10" text-anchor="middle" '
                     f'font-family="DejaVu Sans, sans-serif">{escape(likelihood_labels[likelihood - 1])}</text>')
    parts.append(f'<text x="{MARGIN_LEFT + 2 * CELL}" y="{height - 8}" font-size="11" text-anchor="middle" '
                 f'font-weight="bold" font-family="DejaVu Sans, sans-serif">{escape(axis_likelihood)}</text>')
    parts.append(f'<text x="12" y="{MARGIN_TOP - 12}" font-size="11" font-weight="bold" '
                 f'font-family="DejaVu Sans, sans-serif">{escape(axis_severity)}</text>')
    parts.append("</svg>")
    return "".join(parts)
