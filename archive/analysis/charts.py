"""The inline SVG charts (no JavaScript): bars for a search, lines to compare.

The geometry is computed here, and so are the repeated marks (bars, table rows), escaped and joined in
Python; the templates lay out the rest.

Coordinates are in a fixed viewBox; the SVG scales to its container.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from archive.search.timeline import Period, percent_format, whole_number_format

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 220, 48, 24, 8
PLOT_HEIGHT = HEIGHT - BOTTOM - TOP
SERIES_CLASSES = ["series-1", "series-2", "series-3", "series-4"]


def value_of(period: Period, measure: str) -> float:
    if measure == "share":
        return period.share or 0.0
    return float(period.count)


def value_format(measure: str):
    """How the measure's values are written in the active language (a function, to look it up once)."""
    if measure == "share":
        return percent_format()
    number = whole_number_format()
    return lambda value: number(int(value))


def format_value(value: float, measure: str) -> str:
    return value_format(measure)(value)


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str  # "bar", or "gap" for a period in which the archive holds nothing
    period: Period
    text: str


GAP_FILL = ' fill="url(#gap-hatch)"'
GAP_ROW = ' class="gap-row"'


def _bar_mark(bar: Bar) -> str:
    fill = GAP_FILL if bar.css == "gap" else ""
    title = f"{escape(bar.period.label)}: {escape(bar.text)}"
    return (
        f'<rect class="{bar.css}" x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}"{fill}>'
        f"<title>{title}</title></rect>"
    )


def bar_marks(bars: list[Bar]) -> SafeString:
    """The bars as SVG, built here rather than in the template: a chart of decades has hundreds of
    values, and the template engine costs ~20 µs a value. Text is escaped; numbers and classes are ours."""
    return mark_safe("".join(_bar_mark(bar) for bar in bars))


def _table_row(period: Period, none_held: str, number, percent) -> str:
    total = number(period.total) if period.held else none_held  # digits and the separator: no markup
    count = number(period.count)
    share = "–" if period.share is None else escape(percent(period.share))  # as period.share_text
    return (
        f'<tr{"" if period.held else GAP_ROW}><th scope="row">{escape(period.label)}</th>'
        f"<td>{count}</td><td>{total}</td><td>{share}</td></tr>"
    )


def table_rows(periods: list[Period]) -> SafeString:
    """The chart's numbers as table rows (period, matches, articles with the same filters, share)."""
    none_held, number, percent = escape(_("none held")), whole_number_format(), percent_format()
    return mark_safe("".join(_table_row(period, none_held, number, percent) for period in periods))


def _scale(maximum: float) -> float:
    return PLOT_HEIGHT / maximum if maximum else 0.0


def _ticks(maximum: float, measure: str) -> list[dict]:
    return [
        {
            "y": round(TOP + PLOT_HEIGHT - fraction * PLOT_HEIGHT, 1),
            "text": format_value(maximum * fraction, measure),
        }
        for fraction in (0, 0.5, 1)
    ]


def _labels(periods: list[Period], step_width: float) -> list[dict]:
    """At most about eight period labels along the axis."""
    every = max(1, round(len(periods) / 8))
    return [
        {"x": round(LEFT + i * step_width + step_width / 2, 1), "text": p.label}
        for i, p in enumerate(periods)
        if i % every == 0
    ]


def bar_chart(periods: list[Period], measure: str) -> dict:
    """Bars per period; holes in the archive as full-height hatched bars."""
    holds_nothing, written = _("archive holds nothing"), value_format(measure)
    maximum = max((value_of(p, measure) for p in periods), default=0)
    scale, step = _scale(maximum), (WIDTH - LEFT) / max(len(periods), 1)
    bars = []
    for i, period in enumerate(periods):
        value = value_of(period, measure)
        gap = period.held == 0
        height = PLOT_HEIGHT if gap else value * scale
        text = holds_nothing if gap else written(value)
        bars.append(
            Bar(
                x=round(LEFT + i * step + step * 0.1, 1),
                y=round(TOP + PLOT_HEIGHT - height, 1),
                width=round(step * 0.8, 1),
                height=round(height, 1),
                css="gap" if gap else "bar",
                period=period,
                text=text,
            )
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "bar_marks": bar_marks(bars),
        "ticks": _ticks(maximum, measure),
        "labels": _labels(periods, step),
        "axis_y": TOP + PLOT_HEIGHT,
        "left": LEFT,
        "has_gaps": any(p.held == 0 for p in periods),
        "maximum": format_value(maximum, measure),
    }


def line_chart(series: list[tuple[str, list[Period]]], measure: str) -> dict:
    """One polyline per query over the same periods."""
    periods = series[0][1] if series else []
    maximum = max((value_of(p, measure) for _, ps in series for p in ps), default=0)
    scale, step = _scale(maximum), (WIDTH - LEFT) / max(len(periods), 1)
    lines = []
    for n, (name, points) in enumerate(series):
        coordinates = [
            (LEFT + i * step + step / 2, TOP + PLOT_HEIGHT - value_of(p, measure) * scale)
            for i, p in enumerate(points)
        ]
        lines.append(
            {
                "name": name,
                "css": SERIES_CLASSES[n % len(SERIES_CLASSES)],
                "points": " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates),
                "dots": [{"x": round(x, 1), "y": round(y, 1)} for x, y in coordinates]
                if len(coordinates) <= 60
                else [],
            }
        )
    gaps = [
        {"x": round(LEFT + i * step, 1), "width": round(step, 1), "y": TOP, "height": PLOT_HEIGHT}
        for i, p in enumerate(periods)
        if p.held == 0
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "lines": lines,
        "gaps": gaps,
        "ticks": _ticks(maximum, measure),
        "labels": _labels(periods, step),
        "axis_y": TOP + PLOT_HEIGHT,
        "left": LEFT,
        "has_gaps": bool(gaps),
    }
