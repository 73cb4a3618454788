"""Chart builders: targets drawn, one palette with symbols, one colour per locality, Vietnamese
separators, PNG download, and a layout for the width the chart is drawn at (a phone's 364 px)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
import streamlit

from plans import vocabulary as s
from plans.palette import SERIES_COLOURS, STATUS_STYLE, TARGET_COLOUR, locality_colours, status_colour, status_label
from scoring.kpi import GroupScore, KpiScore
from ui import charts
from ui.charts import IndicatorPath

BANDS = (
    {"name": "Xuất sắc", "min_points": 90},
    {"name": "Tốt", "min_points": 75},
    {"name": "Khá", "min_points": 60},
    {"name": "Trung bình", "min_points": 50},
    {"name": "Chưa đạt", "min_points": 0},
)


def kpi(points: float, rating: str) -> KpiScore:
    groups = (
        GroupScore("1", "Nhận thức, điều hành", points * 0.15, 15.0),
        GroupScore("2", "Hạ tầng số, dữ liệu", points * 0.2, 20.0),
    )
    return KpiScore("fw", points, rating, True, groups, ())


def test_png_download_config_has_an_ascii_file_name():
    config = charts.plot_config("Điểm KPI — Xã Tân An, Tháng 06/2026")
    assert config["toImageButtonOptions"] == {
        "format": "png",
        "scale": 2,
        "filename": "diem-kpi-xa-tan-an-thang-06-2026",
    }
    assert config["displaylogo"] is False


def test_vietnamese_separators_and_projector_fonts():
    small = charts.status_counts({s.MET: 3}, "Trạng thái")
    large = charts.status_counts({s.MET: 3}, "Trạng thái", large=True)
    assert small.layout.separators == ",."
    assert large.layout.font.size > small.layout.font.size >= 14


def test_long_titles_wrap_instead_of_overflowing():
    title = "Trạng thái 30 chỉ tiêu của kế hoạch — Xã Nam Thanh Miện, Tháng 11/2026 (tạm tính)"
    fig = charts.status_counts({s.MET: 3}, title)
    assert "<br>" in fig.layout.title.text
    assert fig.layout.title.text.replace("<br>", " ") == title


def test_status_bars_use_the_palette_and_symbols():
    counts = {status: i for i, status in enumerate(s.INDICATOR_STATUSES)}
    bar = charts.status_counts(counts, "x").data[0]
    assert list(bar.y) == [status_label(x) for x in s.INDICATOR_STATUSES]
    assert list(bar.marker.color) == [STATUS_STYLE[x][0] for x in s.INDICATOR_STATUSES]


def test_kpi_groups_drawn_against_their_maxima():
    fig = charts.kpi_groups(kpi(80, "Tốt"), "Điểm KPI")
    maxima, points = fig.data
    assert list(maxima.x) == [15.0, 20.0] and maxima.name == "Điểm tối đa"
    assert list(points.text) == ["12 / 15", "16 / 20"]


PHONE = 364  # the main column of a 390 px phone


def test_ranking_sorted_in_each_localitys_colour_with_thresholds():
    rows = [("Xã A", kpi(55.5, "Trung bình")), ("Xã B", kpi(91, "Xuất sắc")), ("Xã C", kpi(70, "Khá"))]
    colours = {"Xã A": "#111111", "Xã B": "#222222", "Xã C": "#333333"}
    fig = charts.kpi_ranking(rows, BANDS, "Xếp hạng", colours=colours)
    bar = fig.data[0]
    assert list(bar.y) == ["Xã B", "Xã C", "Xã A"]
    assert list(bar.marker.color) == ["#222222", "#333333", "#111111"]
    assert bar.text[2] == "55,5 — Trung bình (tạm tính)"
    assert list(fig.layout.xaxis.tickvals) == [0, 50, 60, 75, 90, 100]
    assert "Khá 60 – < 75" in fig.layout.xaxis.title.text.replace("<br>", " ")


def test_attainment_has_a_target_line_and_its_texts_right_of_it():
    rows = pd.DataFrame(
        {
            "label": ["TA-a-01 Dịch vụ công"],
            "attainment": [0.5],
            "status": [s.BEHIND],
            "actual_text": ["40%"],
            "target_text": ["> 80% (2030)"],
        }
    )
    fig = charts.attainment_bars(rows, "Mức đạt")
    (note,) = [a for a in fig.layout.annotations if a.text == f"{status_label(s.BEHIND)} · 40% / > 80% (2030)"]
    assert note.x > 100 and note.xanchor == "left"  # beyond the target line: nothing crosses it
    assert fig.layout.xaxis.range[1] > 100
    assert [(shape.x0, shape.line.color) for shape in fig.layout.shapes] == [(100, TARGET_COLOUR)]


LONG = "TA-a-02 Tỷ lệ cung cấp dịch vụ công trực tuyến toàn trình trên tổng số thủ tục hành chính có đủ điều kiện"


@pytest.mark.parametrize(
    "build",
    [
        lambda width: charts.attainment_bars(
            pd.DataFrame(
                {
                    "label": [LONG, "TA-a-03 Ngắn"],
                    "attainment": [0.5, 1.0],
                    "status": [s.BEHIND, s.MET],
                    "actual_text": ["40%", "100%"],
                    "target_text": ["≥ 90% (2030)", "≥ 100% (2030)"],
                }
            ),
            "Mức đạt",
            width=width,
        ),
        lambda width: charts.kpi_groups(kpi(80, "Tốt"), "Điểm KPI", width=width),
        lambda width: charts.kpi_ranking(
            [("Xã Nam Thanh Miện", kpi(77.4, "Tốt")), ("Phường Hưng Đạo", kpi(73, "Khá"))],
            BANDS,
            "Xếp hạng",
            width=width,
        ),
        lambda width: charts.overdue_by_unit(
            pd.DataFrame({"unit": ["Văn phòng HĐND và UBND xã"], "overdue": [2], "total": [9]}), "Quá hạn", width=width
        ),
        lambda width: charts.task_gantt(
            pd.DataFrame(
                {
                    "label": [f"BG-1 · {LONG[:34]}…"],
                    "start": [dt.date(2026, 4, 1)],
                    "end": [dt.date(2026, 6, 30)],
                    "status": [s.TASK_DONE],
                    "hover": ["BG-1"],
                }
            ),
            dt.date(2026, 11, 22),
            "Theo quý",
            width=width,
        ),
    ],
)
def test_on_a_phone_names_are_written_above_the_bars_not_beside_them(build):
    wide, phone = build(None), build(PHONE)
    assert wide.layout.yaxis.showticklabels is not False
    assert phone.layout.yaxis.showticklabels is False
    above = [a for a in phone.layout.annotations if a.xref == "paper" and a.x == 0 and a.yref == "y"]
    assert len(above) == len(set(phone.data[0].y)) and all(a.xanchor == "left" for a in above)
    for note in above:  # each line fits the phone: about 364 px ÷ (15 px × 0,55) characters
        assert max(len(line) for line in note.text.split("<br>")) <= (PHONE - 24) / (15 * 0.55)
    assert phone.layout.autosize is True and phone.layout.width is None


def test_on_a_phone_an_attainments_result_is_under_its_name_and_the_bars_fill_the_width():
    rows = pd.DataFrame(
        {
            "label": [LONG],
            "attainment": [0.5],
            "status": [s.BEHIND],
            "actual_text": ["40%"],
            "target_text": ["≥ 90% (2030)"],
        }
    )
    fig = charts.attainment_bars(rows, "Mức đạt", width=PHONE)
    (above,) = [a for a in fig.layout.annotations if a.xref == "paper" and a.x == 0]
    assert above.text.replace("<br>", " ").endswith(f"{status_label(s.BEHIND)} · 40% / ≥ 90% (2030)")
    assert fig.layout.xaxis.range[1] <= 105


def test_small_multiples_stack_on_a_phone_and_titles_wrap_instead_of_being_cut():
    long_name = (
        "Tỷ lệ hồ sơ công việc tại cấp xã được xử lý trên môi trường mạng "
        "(trừ hồ sơ công việc thuộc phạm vi bí mật nhà nước)"
    )
    item = IndicatorPath(
        f"<b>TA-a-04</b> ▲ Đúng tiến độ<br>{long_name}",
        "%",
        s.ON_TRACK,
        ("2026-05",),
        (70.0,),
        80.0,
        "> 80% (2030)",
        dt.date(2030, 12, 1),
        None,
    )
    start, end, today = dt.date(2026, 1, 1), dt.date(2030, 12, 1), dt.date(2026, 11, 22)
    desk = charts.indicator_paths([item, item], start, end, today, "Lộ trình")
    phone = charts.indicator_paths([item, item], start, end, today, "Lộ trình", width=PHONE)
    assert desk.layout.xaxis2.domain[0] > 0.5  # side by side
    assert phone.layout.xaxis2.domain == phone.layout.xaxis.domain  # one under the other
    title = phone.layout.annotations[0].text
    assert "…" not in title and title.replace("<br>", " ").endswith(long_name)


def test_one_colour_per_locality_whatever_the_chart_shows():
    colours = locality_colours(["tan_an", "hung_dao", "binh_giang", "ke_sat", "nam_thanh_mien"])
    assert len(set(colours.values())) == 5 and colours["tan_an"] == SERIES_COLOURS[0]
    by_name = {"Xã Tân An": colours["tan_an"], "Xã Bình Giang": colours["binh_giang"]}
    rows = [("Xã Bình Giang", kpi(80, "Tốt")), ("Xã Tân An", kpi(60, "Khá"))]
    ranking = charts.kpi_ranking(rows, BANDS, "Xếp hạng", colours=by_name)
    groups = charts.kpi_groups_compare(rows, "Nhóm", colours=by_name)
    series = pd.DataFrame({"name": ["Xã Tân An", "Xã Bình Giang"], "period": ["2026-06", "2026-06"], "value": [1, 2]})
    trend = charts.measure_trend(
        series, pd.DataFrame(columns=["name", "target", "label"]), "", "Diễn biến", colours=by_name
    )
    assert dict(zip(ranking.data[0].y, ranking.data[0].marker.color)) == by_name
    assert {t.name: t.marker.color for t in groups.data if t.type == "bar"} == by_name
    assert {t.name: t.line.color for t in trend.data} == by_name


def test_group_maxima_are_a_band_behind_the_bars_not_a_line_across_their_values():
    rows = [("Xã A", kpi(80, "Tốt")), ("Xã B", kpi(60, "Khá"))]
    fig = charts.kpi_groups_compare(rows, "Nhóm")
    assert [(shape.x1, shape.layer) for shape in fig.layout.shapes] == [(15.0, "below"), (20.0, "below")]
    assert not any(getattr(t, "mode", None) == "markers" and t.x[0] is not None for t in fig.data)


def test_overdue_bars_take_the_overdue_colour_from_its_code():
    fig = charts.overdue_by_unit(pd.DataFrame({"unit": ["Văn phòng"], "overdue": [2], "total": [9]}), "Quá hạn")
    assert fig.data[0].marker.color == status_colour(s.TASK_OVERDUE) != status_colour("Quá hạn")


def test_heat_map_cells_carry_symbols_and_a_legend_of_every_status():
    states = pd.DataFrame({"Xã A": [s.MET, None], "Xã B": [s.BEHIND, s.NOT_REPORTED]}, index=["Đo 1", "Đo 2"])
    fig = charts.status_heatmap(states, states.fillna(""), s.INDICATOR_STATUSES, "Bảng màu")
    heat = fig.data[0]
    assert [list(row) for row in heat.text] == [["✔", "▼"], ["", "○"]]
    assert pd.isna(heat.z[1][0])
    assert [t.name for t in fig.data[1:]] == [status_label(x) for x in s.INDICATOR_STATUSES]
    index = s.INDICATOR_STATUSES.index(s.BEHIND)
    assert heat.colorscale[2 * index][1] == status_colour(s.BEHIND)


def test_measure_trend_draws_each_target_as_a_dashed_line():
    series = pd.DataFrame({"name": ["Xã A", "Xã A"], "period": ["2026-05", "2026-06"], "value": [70.0, 85.5]})
    targets = pd.DataFrame({"name": ["Xã A"], "target": [80.0], "label": ["> 80% (2030)"]})
    fig = charts.measure_trend(series, targets, "%", "Dịch vụ công")
    line, target = fig.data
    assert list(line.customdata) == ["70%", "85,5%"]
    assert target.line.dash == "dash" and list(target.y) == [80.0, 80.0]
    assert fig.layout.xaxis.tickformat == "%m/%Y"


def test_indicator_paths_show_target_year_path_and_today():
    item = IndicatorPath(
        "TA-a-01",
        "%",
        s.ON_TRACK,
        ("2026-05", "2026-06"),
        (70.0, 85.5),
        80.0,
        "> 80% (2030)",
        dt.date(2030, 12, 1),
        (dt.date(2026, 5, 1), 70.0),
    )
    today = dt.date(2026, 11, 22)
    fig = charts.indicator_paths([item, item], dt.date(2026, 1, 1), dt.date(2030, 12, 1), today, "Lộ trình")
    names = [t.name for t in fig.data]
    assert names.count("Năm mục tiêu") == 2 and names.count("Lộ trình đến mục tiêu") == 2
    star = next(t for t in fig.data if t.name == "Năm mục tiêu")
    assert star.x[0] == dt.date(2030, 12, 1) and star.marker.symbol == "star"
    assert [shape.x0 for shape in fig.layout.shapes] == [today, today]


def test_task_gantt_spans_quarters():
    rows = pd.DataFrame(
        {
            "label": ["BG-1 · Việc"],
            "start": [dt.date(2026, 4, 1)],
            "end": [dt.date(2026, 6, 30)],
            "status": [s.TASK_OVERDUE],
            "hover": ["BG-1"],
        }
    )
    fig = charts.task_gantt(rows, dt.date(2026, 11, 22), "Theo quý")
    assert fig.data[0].name == status_label(s.TASK_OVERDUE)
    assert "Quý II/2026" in fig.layout.xaxis.ticktext


@pytest.mark.parametrize(
    "builder",
    [
        lambda: charts.attainment_bars(
            pd.DataFrame(columns=["label", "attainment", "status", "actual_text", "target_text"]), "Trống"
        ),
        lambda: charts.indicator_paths([], dt.date(2026, 1, 1), dt.date(2026, 12, 1), dt.date(2026, 6, 1), "Trống"),
        lambda: charts.overdue_by_unit(pd.DataFrame(columns=["unit", "overdue", "total"]), "Trống"),
        lambda: charts.measure_trend(
            pd.DataFrame(columns=["name", "period", "value"]),
            pd.DataFrame(columns=["name", "target", "label"]),
            "%",
            "Trống",
        ),
    ],
)
def test_empty_inputs_explain_themselves(builder):
    fig = builder()
    assert not fig.data and fig.layout.annotations[0].text


def test_month_columns_of_a_grid_break_after_the_slash_to_fit():
    months = [f"{m:02d}/2026" for m in range(1, 13)]
    units = ["Văn phòng HĐND và UBND xã", "Phòng Văn hóa - Xã hội xã"]
    state = pd.DataFrame([[s.MISSING] * 12] * 2, index=units, columns=months)
    fig = charts.status_heatmap(state, state, s.SUBMISSION_STATUSES, "Phiếu", width=620, label_chars=26)
    # 26-character labels take 26 × 15 × 0,55 + 24 ≈ 239 px; (620 − 239) ÷ 12 ≈ 32 px a column: "01/" over "2026"
    assert list(fig.data[0].x) == [f"{m:02d}/<br>2026" for m in range(1, 13)]
    assert fig.layout.xaxis.tickangle == 0
    # on a phone only the last few months fit across (each "2026" whole in its column)
    recent = charts.recent_columns(state, PHONE, label_chars=26)
    assert 3 <= recent < 12 and charts.heatmap_fits(state.iloc[:, -recent:], PHONE, label_chars=26)
    assert not charts.heatmap_fits(state.iloc[:, -recent - 1 :], PHONE, label_chars=26)
    wide = charts.status_heatmap(state.iloc[:, :4], state.iloc[:, :4], s.SUBMISSION_STATUSES, "Phiếu")
    assert list(wide.data[0].x) == months[:4]  # room enough: one line each


def test_locality_names_over_a_heat_map_are_written_across_or_the_grid_becomes_a_table():
    names = ["Xã Tân An", "Phường Hưng Đạo", "Xã Bình Giang", "Xã Kẻ Sặt", "Xã Nam Thanh Miện"]
    measure = "Tỷ lệ cán bộ, công chức sử dụng thành thạo phần mềm quản lý văn bản"
    state = pd.DataFrame([[s.MET] * 5], index=[measure], columns=names)
    fig = charts.status_heatmap(state, state, s.INDICATOR_STATUSES, "Trạng thái", width=980)
    # the measure's name takes a third of 980 px (35 characters); (980 − 313 − 30) ÷ 5 ≈ 127 px ≈ 13 characters
    assert "Phường Hưng<br>Đạo" in fig.data[0].x and "Xã Nam Thanh<br>Miện" in fig.data[0].x
    assert fig.layout.xaxis.tickangle == 0
    projector = charts.status_heatmap(state, state, s.INDICATOR_STATUSES, "Trạng thái", large=True, width=1710)
    assert [name.split("<br>")[0] for name in projector.data[0].x] == [
        "Xã Tân An",
        "Phường Hưng Đạo",
        "Xã Bình Giang",
        "Xã Kẻ Sặt",
        "Xã Nam Thanh",
    ]
    assert charts.heatmap_fits(state, 980) and not charts.heatmap_fits(state, PHONE)


def test_today_is_labelled_above_the_plot_not_over_the_bars():
    phases = [{"name": "Giai đoạn 1", "start_year": 2026, "end_year": 2027}]
    milestones = pd.DataFrame(columns=["row", "date", "label", "kind"])
    fig = charts.phase_timeline(phases, milestones, dt.date(2026, 12, 1), "Giai đoạn")
    (today,) = [a for a in fig.layout.annotations if a.text.startswith("Hôm nay")]
    assert (today.y, today.yanchor, today.yref) == (1, "bottom", "paper")
    assert fig.layout.margin.t >= charts.font_size(False) + 12


def test_plotly_speaks_vietnamese():
    """Every text of the kept buttons and of plotly's notices, read from the plotly.js Streamlit serves,
    has a Vietnamese translation, and the dictionary holds no text that plotly.js no longer writes."""
    bundle = next((Path(streamlit.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js")).read_text()
    translated = set(re.findall(r"\(\w+,`([^`$]+)`\)", bundle))  # what plotly.js passes through its dictionary
    config = charts.plot_config("Biểu đồ")
    words = config["locales"][config["locale"]]["dictionary"]
    buttons = [b for row in config["modeBarButtons"] for b in row]
    shown = {
        "Sorry, there was a problem downloading your image!",
        "Double-click to zoom back out",
        "Double-click on legend to isolate one trace",
    }
    for button in buttons:
        start = bundle.index(f"name:`{button}`")
        shown |= set(re.findall(r"\(\w+,`([^`$]+)`\)", bundle[start : bundle.index("click:", start)]))
    assert {"Download plot as a PNG", "Reset axes"} <= shown <= translated
    assert all(re.search(r"[^\x00-\x7f]", words[text]) for text in shown)  # Vietnamese, not English left as is
    assert set(words) <= translated
    assert "lasso2d" not in buttons and "toImage" in buttons
