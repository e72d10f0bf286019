"""Server-rendered SVG charts: an image with a name and a description, a data table with a link
on every figure, lengths in proportion, labels escaped, nothing the CSP would block."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from django.utils import translation

from inspections.text import number, percent
from reports.charts import Bar, Series, StackedRow, bar_chart, stacked_bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def svgs_of(markup: str) -> list[ET.Element]:
    """The charts' pictures (not the legend's swatches), parsed: they must be well-formed."""
    return [ET.fromstring(m) for m in re.findall(r'<svg class="chart-svg".*?</svg>', markup, re.S)]


def svg_of(markup: str) -> ET.Element:
    (svg,) = svgs_of(markup)
    return svg


def widths(svg: ET.Element, css: str = "chart-bar") -> list[float]:
    return [
        float(r.get("width").rstrip("%"))
        for r in svg.iter(f"{SVG}rect")
        if css in r.get("class", "").split()
    ]


def bars():
    return [
        Bar("Đã lên lịch", 12, "/plans/1/schedule/"),
        Bar("Đã kiểm tra", 6, "/plans/1/schedule/"),
        Bar("Đã có thông báo kết luận", 3, "/plans/conclusions/"),
    ]


def test_a_bar_chart_is_a_named_image_with_a_data_table():
    markup = bar_chart(chart_id="c1", title="Tiến độ kiểm tra", bars=bars())
    svg = svg_of(markup)
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-title"
    assert svg.find(f"{SVG}title").text == "Tiến độ kiểm tra"
    assert svg.find(f"{SVG}desc").text == (
        "Đã lên lịch: 12; Đã kiểm tra: 6; Đã có thông báo kết luận: 3"
    )
    assert '<figcaption class="chart-caption">Tiến độ kiểm tra</figcaption>' in markup
    assert '<a href="/plans/1/schedule/">12</a>' in markup
    assert '<a href="/plans/conclusions/">3</a>' in markup
    assert markup.count("<tr>") == 4  # header and one row per bar


def test_lengths_are_in_proportion():
    svg = svg_of(bar_chart(chart_id="c", title="t", bars=bars()))
    longest, half, quarter = widths(svg)
    assert half == longest / 2 and quarter == longest / 4
    assert longest <= 90  # room is left for the value


def test_a_progress_chart_draws_the_total_as_a_track():
    svg = svg_of(bar_chart(chart_id="c", title="t", bars=bars(), maximum=18))
    tracks = widths(svg, "chart-track")
    assert len(set(tracks)) == 1
    assert widths(svg)[0] == round(tracks[0] * 12 / 18, 2)
    assert "(trên tổng số 18)" in svg.find(f"{SVG}desc").text


def test_nothing_to_draw():
    markup = bar_chart(chart_id="c", title="t", bars=[Bar("Không có", 0)])
    assert widths(svg_of(markup)) == [0.0]
    assert stacked_bar_chart(chart_id="s", title="t", series=[], rows=[])


def test_a_stacked_chart_splits_each_bar_into_its_series():
    series = [Series("Ưu điểm", "chart-strength"), Series("Tồn tại, hạn chế", "chart-shortcoming")]
    rows = [
        StackedRow("1. Chỉ đạo, điều hành", [2, 6], ["/f?kind=strength", "/f?kind=shortcoming"]),
        StackedRow("2. Thể chế", [0, 4], ["/f?a=2&kind=strength", "/f?a=2&kind=shortcoming"]),
    ]
    markup = stacked_bar_chart(chart_id="s", title="Theo lĩnh vực", series=series, rows=rows)
    svg = svg_of(markup)
    strength, shortcoming = widths(svg, "chart-strength"), widths(svg, "chart-shortcoming")
    assert len(strength) == 1  # a zero draws nothing
    assert shortcoming[0] == 3 * strength[0]
    assert shortcoming[1] == 2 * strength[0]
    assert "1. Chỉ đạo, điều hành: Ưu điểm 2, Tồn tại, hạn chế 6" in svg.find(f"{SVG}desc").text
    assert '<a href="/f?a=2&amp;kind=shortcoming">4</a>' in markup
    assert '<th scope="col" class="text-end">Tồn tại, hạn chế</th>' in markup
    assert 'aria-hidden="true"' in markup  # the legend repeats the table's headers


def test_labels_are_escaped_and_no_inline_style_or_script():
    evil = '<script>alert(1)</script>" onload="x'
    markup = bar_chart(chart_id="c", title=evil, bars=[Bar(evil, 1, '/x?a="b"')])
    markup += stacked_bar_chart(
        chart_id="s", title=evil, series=[Series(evil, "chart-ok")], rows=[StackedRow(evil, [1])]
    )
    assert "<script" not in markup and 'onload="' not in markup
    assert "style=" not in markup
    assert "&lt;script&gt;" in markup
    assert len(svgs_of(markup)) == 2  # still well-formed


def test_numbers_are_written_the_vietnamese_way():
    with translation.override("vi"):
        assert number(1234567) == "1.234.567"
        assert percent(66.67, 1) == "66,7%"
        assert percent(None, 1) == "—"
