"""Small charts drawn on the server as SVG, readable without JavaScript.

Each chart is a `<figure>`: the SVG picture (`role="img"` with a `<title>` and a `<desc>` that
reads the figures out) and a data table that says the same in text, with a link on every figure
to the list behind it. The site's Content-Security-Policy forbids inline styles, so the SVG uses
presentation attributes for geometry (lengths in percent, so the text keeps its size at any
width) and classes (`static/css/charts.css`) for colours and type.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from inspections.text import number

ROW = 40  # px: a label line above a bar
BAR = 14  # px: the bar's thickness
SPAN = 86.0  # % of the width the longest bar takes; the rest is room for its value


@dataclass(frozen=True)
class Bar:
    """One bar: a label, a value, and the list behind it."""

    label: str
    value: float | int
    href: str = ""
    display: str = ""  # the value as written; by default the number
    label_href: str = ""
    css: str = ""  # the colour class; by default one per row

    @property
    def text(self) -> str:
        return self.display or number(self.value)


@dataclass(frozen=True)
class Series:
    """One colour of a stacked chart (a kind of finding, a state of a request)."""

    label: str
    css: str


@dataclass(frozen=True)
class StackedRow:
    """One stacked bar: its label and one value (with its list) per series."""

    label: str
    values: Sequence[int]
    hrefs: Sequence[str] = field(default_factory=tuple)
    label_href: str = ""
    total_href: str = ""

    @property
    def total(self) -> int:
        return sum(self.values)


def _link(text: str, href: str) -> SafeString:
    return format_html('<a href="{}">{}</a>', href, text) if href else format_html("{}", text)


def _join(parts) -> SafeString:
    """Concatenate HTML pieces built with format_html: a piece that is not already safe is
    escaped, never trusted (unlike wrapping the joined text in SafeString)."""
    return format_html_join("", "{}", ((part,) for part in parts))


def _scale(maximum: float) -> float:
    """Percent of the chart's width per unit of value (the text keeps its size at any width)."""
    return SPAN / maximum if maximum > 0 else 0.0


def _svg(chart_id: str, title: str, desc: str, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart-svg" role="img" aria-labelledby="{0}-title" aria-describedby="{0}-desc"'
        ' width="100%" height="{1}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{0}-title">{2}</title><desc id="{0}-desc">{3}</desc>{4}</svg>',
        chart_id,
        height,
        title,
        desc,
        body,
    )


def _pct(value: float) -> str:
    return f"{round(value, 2)}%"


def _figure(
    chart_id: str, title: str, svg: SafeString, table: SafeString, legend: SafeString = ""
) -> SafeString:
    return format_html(
        '<figure class="chart" id="{}"><figcaption class="chart-caption">{}</figcaption>{}{}{}'
        "</figure>",
        chart_id,
        title,
        legend,
        svg,
        table,
    )


def bar_chart(
    *,
    chart_id: str,
    title: str,
    bars: Sequence[Bar],
    maximum: float | None = None,
    value_header: str = "",
) -> SafeString:
    """Horizontal bars, one per row. With `maximum` every bar gets a track of that length, which
    makes a progress chart (scheduled 12 of 18 targets)."""
    top = maximum if maximum is not None else max((b.value for b in bars), default=0)
    scale = _scale(top)
    parts = []
    for i, bar in enumerate(bars):
        y = i * ROW
        length = max(bar.value, 0) * scale
        track = (
            format_html(
                '<rect class="chart-track" x="0" y="{}" width="{}" height="{}"></rect>',
                y + 20,
                _pct(top * scale),
                BAR,
            )
            if maximum is not None
            else ""
        )
        parts.append(
            format_html(
                '<text class="chart-label" x="0" y="{}">{}</text>{}'
                '<rect class="chart-bar {}" x="0" y="{}" width="{}" height="{}"></rect>'
                '<text class="chart-value" x="{}" dx="6" y="{}">{}</text>',
                y + 14,
                bar.label,
                track,
                bar.css or f"chart-s{i % 6}",
                y + 20,
                _pct(length),
                BAR,
                _pct(top * scale if maximum is not None else length),
                y + 32,
                bar.text,
            )
        )
    desc = "; ".join(f"{b.label}: {b.text}" for b in bars)
    if maximum is not None:
        desc = _("%(desc)s (trên tổng số %(total)s)") % {"desc": desc, "total": number(maximum)}
    svg = _svg(chart_id, title, desc, max(len(bars) * ROW, ROW), _join(parts))
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td class="text-end">{}</td></tr>',
        ((_link(b.label, b.label_href), _link(b.text, b.href)) for b in bars),
    )
    table = format_html(
        '<table class="table table-sm chart-data"><caption class="visually-hidden">{}</caption>'
        '<thead><tr><th scope="col">{}</th><th scope="col" class="text-end">{}</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        title,
        _("Chỉ tiêu"),
        value_header or _("Số liệu"),
        rows,
    )
    return _figure(chart_id, title, svg, table)


def stacked_bar_chart(
    *,
    chart_id: str,
    title: str,
    series: Sequence[Series],
    rows: Sequence[StackedRow],
    label_header: str = "",
) -> SafeString:
    """One bar per row split into the series, with a legend; every row is drawn to the same
    scale (the largest total), so rows compare by length."""
    scale = _scale(max((r.total for r in rows), default=0))
    parts = []
    for i, row in enumerate(rows):
        y = i * ROW
        x = 0.0
        segments = []
        for s, value in enumerate(row.values):
            if value <= 0:
                continue
            width = value * scale
            segments.append(
                format_html(
                    '<rect class="chart-bar {}" x="{}" y="{}" width="{}" height="{}"></rect>',
                    series[s].css,
                    _pct(x),
                    y + 20,
                    _pct(width),
                    BAR,
                )
            )
            x += width
        parts.append(
            format_html(
                '<text class="chart-label" x="0" y="{}">{}</text>{}'
                '<text class="chart-value" x="{}" dx="6" y="{}">{}</text>',
                y + 14,
                row.label,
                _join(segments),
                _pct(x),
                y + 32,
                number(row.total),
            )
        )
    desc = "; ".join(
        f"{row.label}: "
        + ", ".join(f"{s.label} {number(v)}" for s, v in zip(series, row.values, strict=True))
        for row in rows
    )
    svg = _svg(chart_id, title, desc, max(len(rows), 1) * ROW, _join(parts))
    head = format_html_join(
        "", '<th scope="col" class="text-end">{}</th>', ((s.label,) for s in series)
    )
    body = []
    for row in rows:
        hrefs = list(row.hrefs) or [""] * len(row.values)
        cells = format_html_join(
            "",
            '<td class="text-end">{}</td>',
            ((_link(number(v), h),) for v, h in zip(row.values, hrefs, strict=True)),
        )
        body.append(
            format_html(
                '<tr><th scope="row">{}</th>{}<td class="text-end">{}</td></tr>',
                _link(row.label, row.label_href),
                cells,
                _link(number(row.total), row.total_href),
            )
        )
    table = format_html(
        '<table class="table table-sm chart-data"><caption class="visually-hidden">{}</caption>'
        '<thead><tr><th scope="col">{}</th>{}<th scope="col" class="text-end">{}</th></tr>'
        "</thead><tbody>{}</tbody></table>",
        title,
        label_header or _("Chỉ tiêu"),
        head,
        _("Tổng"),
        _join(body),
    )
    return _figure(chart_id, title, svg, table, _legend(series))


def _legend(series: Sequence[Series]) -> SafeString:
    """The colours of the series, in HTML so that it wraps; hidden from screen readers, which
    read the same names in the table's header."""
    return format_html(
        '<ul class="chart-legend list-inline small mb-1" aria-hidden="true">{}</ul>',
        format_html_join(
            "",
            '<li class="list-inline-item"><svg width="12" height="12" class="chart-swatch">'
            '<rect class="{}" width="12" height="12"></rect></svg> {}</li>',
            ((s.css, s.label) for s in series),
        ),
    )
