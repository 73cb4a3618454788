"""What the city's comparison report says (``--locality all``): every locality's self-assessed
KPI total, rating and group points, ranked; the attainment of the measures several plans share,
side by side; the share of due monthly sheets received; written as prose in the body with the
tables and charts in the appendices, like a locality's report.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd

from plans.deadlines import sheet_due_date
from plans.model import Catalog
from plans.palette import locality_colours
from plans.periods import Period, month_range
from plans.reporting import expected_units
from plans.text import fmt_number, fmt_percent
from reports import charts
from reports.appendix import Appendix
from reports.blocks import DATE, INT, POINTS, RATIO, TEXT, Block, Bullet, Chart, ChartSpec, Column, Heading, Para, Table
from reports.body import named
from reports.content import ReportContent, ahead_words
from reports.kinds import Coverage, coverage, window
from reports.letterhead import for_city
from reports.names import framework_title
from reports.wording import body_date, fmt_points, joined, month_words
from scoring.report import LocalityReport
from scoring.submissions import completeness_counts, completeness_rows, first_uploads

SIDE_BY_SIDE_MAX = 6
LOW_SUBMISSION = 80.0
CHART_ENDS = 20
NAMED_ENDS = 3


def ends(rows: list[tuple], keep: int = CHART_ENDS) -> list[tuple]:
    """``rows`` when they fit on a chart (``2 × keep`` or fewer), else the first and the last
    ``keep`` with one gap row between them that says how many are left out (its other fields None):
    a chart of 114 bars is taller than an A4 page, and one of 3,300 would be 18 metres tall."""
    if len(rows) <= 2 * keep:
        return rows
    gap = (f"… {fmt_number(len(rows) - 2 * keep)} địa phương khác …",) + (None,) * (len(rows[0]) - 1)
    return rows[:keep] + [gap] + rows[-keep:]


def extremes(known: list[tuple[str, float]]) -> tuple[str, str]:
    """("Cao nhất", "Thấp nhất") of localities' attainments: every locality at the top, every one at
    the bottom; when all are equal (or only one is known) the lowest is left empty, so that no
    locality reads as both highest and lowest."""
    if not known:
        return "", ""
    top, bottom = max(v for _, v in known), min(v for _, v in known)

    def at(value: float) -> str:
        return f"{', '.join(n for n, v in known if v == value)} ({fmt_percent(value * 100)})"

    return at(top), "" if bottom == top else at(bottom)


def ranking_table(reports: list[LocalityReport], catalog: Catalog, period: Period) -> Table:
    """Localities ranked by KPI total (ties: by name), with rating and group points."""
    framework = catalog.framework_for(period.year)
    ordered = sorted(reports, key=lambda r: (-r.kpi.points, r.name))
    rows = []
    for rank, report in enumerate(ordered, start=1):
        row = {
            "rank": rank,
            "locality_id": report.locality_id,
            "name": report.name,
            "points": report.kpi.points,
            "rating": report.kpi.rating + (" (tạm tính)" if report.kpi.provisional else ""),
        }
        row.update({f"group_{g.code}": g.points for g in report.kpi.groups})
        rows.append(row)
    groups = tuple(
        Column(f"Nhóm {g['code']} ({float(g['max_points']):g})", f"group_{g['code']}", POINTS, 2.0)
        for g in framework.groups
    )
    return Table(
        "Biểu mẫu số 01. Xếp hạng điểm tự đánh giá của các địa phương",
        "Xếp hạng KPI",
        (
            Column("Hạng", "rank", INT, 1.1),
            Column("Địa phương", "name", TEXT, 3.6),
            Column("Điểm KPI", "points", POINTS, 1.6),
            Column("Xếp loại", "rating", TEXT, 2.4),
            *groups,
        ),
        rows,
        chart=ChartSpec("bar", "name", ("points",), "Điểm KPI /100 của các địa phương"),
    )


def _attainment(report: LocalityReport) -> dict[str, float | None]:
    """measure → attainment of the locality's indicator on it with the nearest target year."""
    best: dict[str, dict] = {}
    for row in sorted(report.indicator_rows, key=lambda r: (r["target_year"], r["code"]), reverse=True):
        best[row["measure"]] = row
    return {m: row["attainment"] for m, row in best.items()}


def shared_tables(reports: list[LocalityReport], catalog: Catalog) -> tuple[Table, Table]:
    """(per shared measure: how many target it, met, mean, highest, lowest; localities × measures)."""
    per = {r.locality_id: _attainment(r) for r in reports}
    shared = [m for m in catalog.measures if sum(m in mine for mine in per.values()) >= 2]
    summary_rows = []
    for code in shared:
        values = [(r.name, per[r.locality_id][code]) for r in reports if code in per[r.locality_id]]
        known = [(n, v) for n, v in values if v is not None]
        best, worst = extremes(known)
        summary_rows.append(
            {
                "measure": catalog.measures[code].name,
                "localities": len(values),
                "met": sum(1 for _, v in known if v >= 1.0),
                "mean": sum(v for _, v in known) / len(known) if known else None,
                "best": best,
                "worst": worst,
            }
        )
    summary = Table(
        "Biểu mẫu số 02. Mức đạt các chỉ tiêu chung của nhiều địa phương",
        "Chỉ tiêu chung",
        (
            Column("Đại lượng đo", "measure", TEXT, 4.6),
            Column("Số địa phương", "localities", INT, 1.6),
            Column("Số đã đạt", "met", INT, 1.4),
            Column("Mức đạt trung bình", "mean", RATIO, 1.8),
            Column("Cao nhất", "best", TEXT, 3.4),
            Column("Thấp nhất", "worst", TEXT, 3.4),
        ),
        summary_rows,
    )
    matrix_rows = [{"name": r.name, **{code: per[r.locality_id].get(code) for code in shared}} for r in reports]
    matrix = Table(
        "Mức đạt chỉ tiêu chung theo địa phương (ô trống: kế hoạch không có chỉ tiêu này)",
        "Chỉ tiêu chung theo ĐP",
        (Column("Địa phương", "name", TEXT, 3.0), *(Column(catalog.measures[c].name, c, RATIO, 1.8) for c in shared)),
        matrix_rows,
    )
    return summary, matrix


def side_by_side(reports: list[LocalityReport], catalog: Catalog, matrix: Table) -> Table:
    """Shared measures as rows and localities as columns (a few localities only)."""
    measures = [c.key for c in matrix.columns[1:]]
    rows = [
        {"measure": catalog.measures[m].name, **{r.locality_id: row[m] for r, row in zip(reports, matrix.rows)}}
        for m in measures
    ]
    width = (24.7 - 4.5) / max(1, len(reports))
    return Table(
        "Biểu mẫu số 02. Mức đạt các chỉ tiêu chung, so sánh giữa các địa phương",
        "So sánh chỉ tiêu chung",
        (Column("Đại lượng đo", "measure", TEXT, 4.5), *(Column(r.name, r.locality_id, RATIO, width) for r in reports)),
        rows,
    )


def submission_rates(
    reports: list[LocalityReport], catalog: Catalog, log: pd.DataFrame, months: list[Period], today: dt.date
) -> Table:
    """Per locality over the report's months whose sheets were due by ``today``: sheets expected,
    received, on time, and the rate (``log``: the localities' uploads in those months,
    ``store.queries.uploads_in``); a month not yet due is not counted (its sheets are "chưa đến hạn")."""
    due = [p for p in months if sheet_due_date(p) < today]
    uploads = {p: first_uploads(log, p) for p in due}
    rows = []
    for report in reports:
        total = Counter()
        for period in due:
            units = expected_units(catalog, report.locality_id, period)
            subs = completeness_rows(units, uploads[period].get(report.locality_id, {}), period)
            total.update(completeness_counts(s.status for s in subs))
        rate = total["received"] / total["expected"] if total["expected"] else None
        rows.append(
            {
                "locality_id": report.locality_id,
                "name": report.name,
                "expected": total["expected"],
                "received": total["received"],
                "on_time": total["on_time"],
                "rate": rate,
            }
        )
    return Table(
        "Biểu mẫu số 03. Tỷ lệ báo cáo tháng đã nhận của các địa phương",
        "Nộp phiếu",
        (
            Column("Địa phương", "name", TEXT, 6.0),
            Column("Phải nộp", "expected", INT, 2.6),
            Column("Đã nhận", "received", INT, 2.6),
            Column("Đúng hạn", "on_time", INT, 2.6),
            Column("Tỷ lệ đã nhận", "rate", RATIO, 2.6),
        ),
        rows,
        note="Chỉ tính các tháng đã đến hạn gửi (ngày 05 của tháng sau) tại ngày lập báo cáo.",
        chart=ChartSpec("bar", "name", ("rate",), "Tỷ lệ báo cáo tháng đã nhận"),
    )


def city_coverage(catalog: Catalog, kind: str, period: Period) -> Coverage:
    """The months the city's report of ``kind`` at ``period`` covers (its horizon: the earliest
    and the latest plan)."""
    start = min(p.start_year for p in catalog.plans.values())
    end = max(p.end_year for p in catalog.plans.values())
    return coverage(kind, period, start, end)


def sheet_counts_table(counts: pd.DataFrame, catalog: Catalog) -> Table:
    """Per month and locality: how many monthly sheets the figures come from (the .xlsx, from
    ``store.queries.sheet_counts``). Counted per locality, not listed sheet by sheet: across the
    country the sheets used by the end of the plan are about two million, more rows than a
    worksheet holds."""
    names = {pid: p.name for pid, p in catalog.plans.items()}
    rows = [
        {
            "month": Period.parse(p).label,
            "locality": names.get(lid, lid),
            "sheets": int(n),
            "at": pd.Timestamp(at).to_pydatetime(),
            "sample": "Dữ liệu mẫu" if sample else "",
        }
        for p, lid, n, at, sample in zip(
            counts["period"], counts["locality_id"], counts["sheets"], counts["last_uploaded_at"], counts["is_sample"]
        )
    ]
    return Table(
        "Số phiếu báo cáo tháng đã dùng của từng địa phương",
        "Phiếu đã dùng",
        (
            Column("Tháng", "month", TEXT),
            Column("Địa phương", "locality", TEXT),
            Column("Số phiếu", "sheets", INT),
            Column("Lần nạp gần nhất", "at", DATE),
            Column("Ghi chú", "sample", TEXT),
        ),
        rows,
    )


def _band(rating: str) -> str:
    return rating.replace(" (tạm tính)", "")


def city_results(ranking: Table, summary: Table, rates: Table, bands: list[str], title: str, when: str) -> list[Block]:
    """II. Kết quả: the self-assessment (mean, bands, both ends of the ranking), the shared indicators,
    the monthly sheets, in prose."""
    rows = ranking.rows
    mean = sum(r["points"] for r in rows) / len(rows)
    counted = Counter(_band(r["rating"]) for r in rows)
    top = [f"{r['name']} ({fmt_points(r['points'])} điểm)" for r in rows[:NAMED_ENDS]]
    low = (
        [f"{r['name']} ({fmt_points(r['points'])} điểm)" for r in rows[-NAMED_ENDS:]]
        if len(rows) > 2 * NAMED_ENDS
        else []
    )
    blocks: list[Block] = [
        Heading("1. Kết quả tự đánh giá theo Bộ chỉ số", 2),
        Para(
            f"{len(rows)} địa phương tự đánh giá theo {title} {when}; điểm bình quân {fmt_points(mean)} điểm; "
            + joined([f"{counted[b]} địa phương mức {b}" for b in bands if counted[b]])
            + f". Cao nhất: {joined(top)}"
            + (f"; thấp nhất: {joined(low)}" if low else "")
            + " (Phụ lục I)."
        ),
    ]
    blocks.append(Heading("2. Các chỉ tiêu chung của nhiều địa phương", 2))
    blocks.append(Para(shared_sentence(summary.rows)))
    expected, received = sum(r["expected"] for r in rates.rows), sum(r["received"] for r in rates.rows)
    blocks += [
        Heading("3. Báo cáo tháng của các địa phương", 2),
        Para(
            f"Các địa phương đã gửi {received}/{expected} lượt báo cáo tháng đã đến hạn"
            + (f" ({fmt_percent(100 * received / expected)})" if expected else "")
            + " (Phụ lục III)."
        ),
    ]
    return blocks


def shared_sentence(rows: list[dict]) -> str:
    """The measures several plans target, in one sentence: how many targets are met among all the
    localities' targets on them, the measures with the highest and the lowest mean attainment."""
    if not rows:
        return "Chưa có chỉ tiêu chung của nhiều địa phương."
    met, targets = sum(r["met"] for r in rows), sum(r["localities"] for r in rows)
    ranked = sorted((r for r in rows if r["mean"] is not None), key=lambda r: r["mean"])
    text = (
        f"Có {len(rows)} chỉ tiêu được từ hai kế hoạch trở lên đặt mục tiêu, với {targets} lượt địa phương đặt "
        f"mục tiêu, trong đó {met} lượt đã đạt"
    )
    if len(ranked) > 1:
        text += (
            f"; mức đạt bình quân cao nhất là {ranked[-1]['measure'].lower()} "
            f"({fmt_percent(ranked[-1]['mean'] * 100)}), "
            f"thấp nhất là {ranked[0]['measure'].lower()} ({fmt_percent(ranked[0]['mean'] * 100)})"
        )
    return text + " (Phụ lục II)."


def build_city_content(
    catalog: Catalog,
    log: pd.DataFrame,
    counts: pd.DataFrame,
    reports: dict[str, LocalityReport],
    kind: str,
    period: Period,
    issued: dt.date,
) -> ReportContent:
    """The city's comparison report at ``period``, made on ``issued`` (``log``: the localities'
    uploads in the covered months, ``store.queries.uploads_in``; ``counts``: their sheets,
    ``store.queries.sheet_counts``)."""
    chosen = list(reports.values())
    cover = city_coverage(catalog, kind, period)
    days = window(cover, None, issued)
    ranking = ranking_table(chosen, catalog, period)
    summary, matrix = shared_tables(chosen, catalog)
    rates = submission_rates(chosen, catalog, log, month_range(cover.first, cover.last), issued)
    framework = catalog.framework_for(period.year)
    title = framework_title(framework, catalog, None)
    bands = [b["name"] for b in framework.ratings]
    when = f"lũy kế đến hết {month_words(period)}" if any(r.kpi.provisional for r in chosen) else f"năm {period.year}"
    n = len(chosen)
    both_ends = (
        f" ({CHART_ENDS} địa phương đầu và {CHART_ENDS} địa phương cuối; đủ {fmt_number(n)} địa phương ở Phụ lục I)"
        if n > 2 * CHART_ENDS
        else ""
    )
    weak = [r for r in ranking.rows if _band(r["rating"]) in bands[-2:]]
    low = [r for r in rates.rows if (r["rate"] or 0) * 100 < LOW_SUBMISSION]
    good = [r for r in ranking.rows if _band(r["rating"]) in bands[:2]]
    full = [r for r in rates.rows if r["expected"] and r["received"] == r["expected"]]
    strengths = (
        [
            f"{len(good)} địa phương đạt mức {bands[0]} hoặc {bands[1]}: "
            f"{named([r['name'] for r in good], 'địa phương')}."
        ]
        if good
        else []
    )
    strengths += [f"{named([r['name'] for r in full], 'địa phương')} gửi đủ báo cáo tháng."] if full else []
    expected, received = sum(r["expected"] for r in rates.rows), sum(r["received"] for r in rates.rows)
    if expected and 100 * received / expected >= LOW_SUBMISSION:
        strengths.append(f"Các địa phương đã gửi {fmt_percent(100 * received / expected)} số báo cáo tháng đã đến hạn.")
    problems = (
        [
            f"{len(weak)} địa phương ở mức {bands[-2]} hoặc {bands[-1]}: "
            f"{named([r['name'] for r in weak], 'địa phương')}."
        ]
        if weak
        else []
    )
    shares = [f"{r['name']} ({fmt_percent((r['rate'] or 0) * 100)})" for r in low]
    problems += (
        [
            f"Một số địa phương gửi chưa đủ {fmt_number(LOW_SUBMISSION)}% số báo cáo tháng phải gửi: "
            f"{named(shares, 'địa phương')}."
        ]
        if low
        else []
    )
    tasks = []
    if low:
        tasks.append(
            "Đôn đốc các địa phương gửi đầy đủ, đúng hạn báo cáo tháng: "
            f"{named([r['name'] for r in low], 'địa phương')}."
        )
    if weak:
        tasks.append(
            "Hướng dẫn, hỗ trợ các địa phương có kết quả tự đánh giá thấp rà soát, đẩy nhanh các chỉ tiêu, "
            f"nhiệm vụ còn chậm: {named([r['name'] for r in weak], 'địa phương')}."
        )
    tasks.append(f"Tổng hợp, đánh giá kết quả thực hiện {cover.next_label} của các địa phương theo {title}.")
    head = for_city()
    ahead = ahead_words(kind)
    colours = locality_colours(catalog.plans)
    charts_shown = (
        Chart(
            "xep_hang_kpi",
            f"Biểu đồ 1. Điểm tự đánh giá của các địa phương, từ cao xuống thấp{both_ends}",
            charts.ranking(
                ends([(r["name"], r["points"], r["rating"], colours.get(r["locality_id"])) for r in ranking.rows]),
                f"Điểm tự đánh giá các địa phương, {month_words(period)}",
            ),
        ),
        Chart(
            "xep_loai",
            "Biểu đồ 2. Số địa phương theo mức xếp loại",
            charts.rating_counts(
                {b: sum(1 for r in ranking.rows if _band(r["rating"]) == b) for b in bands},
                f"Xếp loại, {month_words(period)}",
            ),
        ),
        Chart(
            "nop_phieu",
            f"Biểu đồ 3. Tỷ lệ báo cáo tháng đã nhận, từ thấp đến cao{both_ends}",
            charts.submission_rates(
                ends(
                    sorted(
                        ((r["name"], (r["rate"] or 0) * 100, colours.get(r["locality_id"])) for r in rates.rows),
                        key=lambda nr: (nr[1], nr[0]),
                    )
                ),
                f"Tỷ lệ báo cáo tháng đã nhận, {cover.label}",
            ),
        ),
    )
    data = (
        f"số liệu {'tạm tính ' if days.provisional else ''}từ ngày {body_date(days.first)} "
        f"đến ngày {body_date(days.last)}"
    )
    return ReportContent(
        letterhead=head,
        coverage=cover,
        window=days,
        issued=issued,
        title_line=(
            f"Kết quả thực hiện Đề án “Hải Phòng - Thành phố Đổi mới sáng tạo” tại các xã, phường "
            f"{cover.label} và {ahead} {cover.next_label}"
        ),
        intro=(
            f"Thực hiện Đề án “Hải Phòng - Thành phố Đổi mới sáng tạo”, {head.issuer_text} tổng hợp, báo cáo kết quả "
            f"thực hiện kế hoạch của {n} xã, phường {cover.label} và {ahead} {cover.next_label} ({data}), như sau:"
        ),
        sections={
            "chi_dao": [
                Para(
                    f"{n} xã, phường đã ban hành kế hoạch triển khai Đề án, giao Phòng Văn hóa - Xã hội làm "
                    "đầu mối và báo cáo kết quả hằng tháng theo cùng một khung chỉ tiêu và Bộ chỉ số đánh giá."
                )
            ],
            "ket_qua": city_results(ranking, summary, rates, bands, title, when),
            "danh_gia": [
                Heading("1. Ưu điểm", 2),
                *[
                    Bullet(t)
                    for t in strengths or ["Các địa phương đã báo cáo kết quả hằng tháng theo cùng một khung."]
                ],
                Heading("2. Tồn tại, hạn chế", 2),
                *[Bullet(t) for t in problems or ["Chưa có địa phương xếp loại thấp hoặc thiếu nhiều báo cáo tháng."]],
            ],
            "phuong_huong": [Para(f"{k}. {t}") for k, t in enumerate(tasks, start=1)],
            "kien_nghi": [],
        },
        closing=(
            f"Trên đây là báo cáo kết quả thực hiện {cover.label} và {ahead} {cover.next_label} của "
            f"{head.issuer_text}, gửi {head.recipient} {head.purpose}./."
        ),
        appendices=(
            Appendix(
                "PHỤ LỤC I",
                f"XẾP HẠNG ĐIỂM TỰ ĐÁNH GIÁ CỦA CÁC ĐỊA PHƯƠNG ĐẾN HẾT {month_words(period).upper()}",
                (ranking,),
            ),
            Appendix(
                "PHỤ LỤC II",
                "MỨC ĐẠT CÁC CHỈ TIÊU CHUNG",
                (side_by_side(chosen, catalog, matrix) if n <= SIDE_BY_SIDE_MAX else summary,),
            ),
            Appendix("PHỤ LỤC III", "TÌNH HÌNH GỬI BÁO CÁO THÁNG", (rates,)),
            Appendix("PHỤ LỤC IV", "BIỂU ĐỒ", charts_shown),
        ),
        sheets=sheet_counts_table(counts, catalog),
        sample=bool(counts["is_sample"].any()),
        tables=(summary, matrix) if n <= SIDE_BY_SIDE_MAX else (matrix,),
    )
