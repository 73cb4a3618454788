"""What the city's comparison report says (``--locality all``): every locality's KPI total,
rating and group points, ranked; the attainment of the measures several plans share, side by
side; the share of expected monthly sheets received; with the same kind of charts.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd

from plans.model import Catalog
from plans.periods import Period, month_range
from plans.reporting import reporting_units
from plans.text import fmt_date, fmt_number, fmt_percent
from reports import charts
from reports.blocks import (
    DATE,
    INT,
    POINTS,
    RATIO,
    TEXT,
    Block,
    Bullet,
    Chart,
    ChartSpec,
    Column,
    Heading,
    Para,
    Table,
)
from reports.content import Appendix, ReportContent, listed, month_sources, to_write
from reports.kinds import Coverage, coverage, cut_off
from reports.letterhead import for_city
from scoring.report import LocalityReport
from scoring.submissions import completeness_counts, completeness_rows, first_uploads

SIDE_BY_SIDE_MAX = 6
LOW_SUBMISSION = 80.0
LISTED_MAX = 40   # more localities: the ranking is in Phụ lục I, the charts show both ends of it
CHART_ENDS = 20


def ends(rows: list[tuple], keep: int = CHART_ENDS) -> list[tuple]:
    """``rows`` when they fit on a chart (``2 × keep`` or fewer), else the first and the last
    ``keep`` with one gap row between them that says how many are left out (its other fields None):
    a chart of 114 bars is taller than an A4 page, and one of 3,300 would be 18 metres tall."""
    if len(rows) <= 2 * keep:
        return rows
    gap = (f"… {fmt_number(len(rows) - 2 * keep)} địa phương khác …",) + (None,) * (len(rows[0]) - 1)
    return rows[:keep] + [gap] + rows[-keep:]


def ranking_table(reports: list[LocalityReport], catalog: Catalog, period: Period) -> Table:
    """Localities ranked by KPI total (ties: by name), with rating and group points."""
    framework = catalog.framework_for(period.year)
    ordered = sorted(reports, key=lambda r: (-r.kpi.points, r.name))
    rows = []
    for rank, report in enumerate(ordered, start=1):
        row = {"rank": rank, "name": report.name, "points": report.kpi.points,
               "rating": report.kpi.rating + (" (tạm tính)" if report.kpi.provisional else "")}
        row.update({f"group_{g.code}": g.points for g in report.kpi.groups})
        rows.append(row)
    groups = tuple(Column(f"Nhóm {g['code']} ({float(g['max_points']):g})", f"group_{g['code']}", POINTS, 1.5)
                   for g in framework.groups)
    return Table("Xếp hạng điểm KPI của các địa phương", "Xếp hạng KPI", (
        Column("Hạng", "rank", INT, 1.1), Column("Địa phương", "name", TEXT, 3.6), Column("Điểm KPI", "points", POINTS, 1.6),
        Column("Xếp loại", "rating", TEXT, 2.4), *groups), rows,
        chart=ChartSpec("bar", "name", ("points",), "Điểm KPI /100 của các địa phương"))


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
        best = max(known, key=lambda nv: nv[1]) if known else None
        worst = min(known, key=lambda nv: nv[1]) if known else None
        summary_rows.append({
            "measure": catalog.measures[code].name, "localities": len(values),
            "met": sum(1 for _, v in known if v >= 1.0), "mean": sum(v for _, v in known) / len(known) if known else None,
            "best": f"{best[0]} ({fmt_percent(best[1] * 100)})" if best else "—",
            "worst": f"{worst[0]} ({fmt_percent(worst[1] * 100)})" if worst else "—",
        })
    summary = Table("Mức đạt các chỉ tiêu chung của nhiều địa phương", "Chỉ tiêu chung", (
        Column("Đại lượng đo", "measure", TEXT, 4.6), Column("Số địa phương", "localities", INT, 1.6),
        Column("Số đã đạt", "met", INT, 1.4), Column("Mức đạt trung bình", "mean", RATIO, 1.8),
        Column("Cao nhất", "best", TEXT, 3.4), Column("Thấp nhất", "worst", TEXT, 3.4)), summary_rows)
    matrix_rows = [{"name": r.name, **{code: per[r.locality_id].get(code) for code in shared}} for r in reports]
    matrix = Table("Mức đạt chỉ tiêu chung theo địa phương (ô trống: kế hoạch không có chỉ tiêu này)",
                   "Chỉ tiêu chung theo ĐP", (Column("Địa phương", "name", TEXT, 3.0),
                                              *(Column(catalog.measures[c].name, c, RATIO, 1.8) for c in shared)),
                   matrix_rows)
    return summary, matrix


def side_by_side(reports: list[LocalityReport], catalog: Catalog, matrix: Table) -> Table:
    """Shared measures as rows and localities as columns (a few localities only)."""
    measures = [c.key for c in matrix.columns[1:]]
    rows = [{"measure": catalog.measures[m].name, **{r.locality_id: row[m] for r, row in zip(reports, matrix.rows)}}
            for m in measures]
    width = (16.5 - 4.5) / max(1, len(reports))
    return Table("Mức đạt các chỉ tiêu chung, so sánh giữa các địa phương", "Chỉ tiêu chung",
                 (Column("Đại lượng đo", "measure", TEXT, 4.5),
                  *(Column(r.name, r.locality_id, RATIO, width) for r in reports)), rows)


def submission_rates(reports: list[LocalityReport], catalog: Catalog, log: pd.DataFrame,
                     months: list[Period]) -> Table:
    """Per locality over the report's months: sheets expected, received, on time, and the rate
    (``log``: the localities' uploads in those months, ``store.queries.uploads_in``)."""
    uploads = {p: first_uploads(log, p) for p in months}
    rows = []
    for report in reports:
        total = Counter()
        for period in months:
            units = reporting_units(catalog, report.locality_id, period.year)
            subs = completeness_rows(units, uploads[period].get(report.locality_id, {}), period)
            total.update(completeness_counts(s[1] for s in subs))
        rate = total["received"] / total["expected"] if total["expected"] else None
        rows.append({"name": report.name, "expected": total["expected"], "received": total["received"],
                     "on_time": total["on_time"], "rate": rate})
    return Table("Tỷ lệ phiếu báo cáo tháng đã nhận", "Nộp phiếu", (
        Column("Địa phương", "name", TEXT, 5.0), Column("Phải nộp", "expected", INT, 2.4),
        Column("Đã nhận", "received", INT, 2.4), Column("Đúng hạn", "on_time", INT, 2.4),
        Column("Tỷ lệ đã nhận", "rate", RATIO, 2.4)), rows,
        chart=ChartSpec("bar", "name", ("rate",), "Tỷ lệ phiếu báo cáo tháng đã nhận"))


def city_coverage(catalog: Catalog, kind: str, period: Period) -> Coverage:
    """The months the city's report of ``kind`` at ``period`` covers (its horizon: the earliest
    and the latest plan)."""
    start = min(p.start_year for p in catalog.plans.values())
    end = max(p.end_year for p in catalog.plans.values())
    return coverage(kind, period, start, end)


def source_tables(counts: pd.DataFrame, catalog: Catalog) -> tuple[Table, Table]:
    """(per month: how many sheets and from which localities — for the .docx; per month and
    locality: how many sheets — for the .xlsx), from ``store.queries.sheet_counts``. Counted per
    locality, not listed sheet by sheet: across the country the sheets used by the end of the plan
    are about two million, more rows than a worksheet holds."""
    names = {pid: p.name for pid, p in catalog.plans.items()}
    per_month = [{"month": Period.parse(month).label, "count": int(rows["sheets"].sum()),
                  "units": listed(sorted(names.get(lid, lid) for lid in rows["locality_id"]))}
                 for month, rows in counts.groupby("period", sort=True)]
    summary = month_sources(per_month, "Địa phương gửi phiếu")
    every = [{"month": Period.parse(p).label, "locality": names.get(lid, lid), "sheets": int(n),
              "at": pd.Timestamp(at).to_pydatetime(), "sample": "Dữ liệu mẫu" if sample else ""}
             for p, lid, n, at, sample in zip(counts["period"], counts["locality_id"], counts["sheets"],
                                              counts["last_uploaded_at"], counts["is_sample"])]
    full = Table("Số phiếu báo cáo tháng đã dùng của từng địa phương", "Phiếu đã dùng", (
        Column("Tháng", "month", TEXT), Column("Địa phương", "locality", TEXT), Column("Số phiếu", "sheets", INT),
        Column("Lần nạp gần nhất", "at", DATE), Column("Ghi chú", "sample", TEXT)), every)
    return summary, full


def build_city_content(catalog: Catalog, log: pd.DataFrame, counts: pd.DataFrame, reports: dict[str, LocalityReport],
                       kind: str, period: Period, issued: dt.date) -> ReportContent:
    """The city's comparison report at ``period`` (``log``: the localities' uploads in the covered
    months, ``store.queries.uploads_in``; ``counts``: their sheets, ``store.queries.sheet_counts``)."""
    chosen = list(reports.values())
    cover = city_coverage(catalog, kind, period)
    ranking = ranking_table(chosen, catalog, period)
    summary, matrix = shared_tables(chosen, catalog)
    rates = submission_rates(chosen, catalog, log, month_range(cover.first, cover.last))
    ratings = Counter(r.kpi.rating for r in chosen)
    framework = catalog.framework_for(period.year)
    bands = [b["name"] for b in framework.ratings]
    mean = sum(r.kpi.points for r in chosen) / len(chosen)
    n = len(chosen)
    both_ends = (f" ({CHART_ENDS} địa phương đầu và {CHART_ENDS} địa phương cuối; đủ {fmt_number(n)} địa phương ở phụ lục)"
                 if n > 2 * CHART_ENDS else "")
    blocks: list[Block] = [
        Heading("1. Điểm KPI và xếp loại", 2),
        Para(f"{n} địa phương được chấm theo Bộ chỉ số KPI 100 điểm ({framework.name}); điểm bình quân "
             f"{fmt_number(mean, 2)} điểm; " + ", ".join(f"{ratings.get(b, 0)} {b.lower()}" for b in bands) + "."),
        ranking if n <= LISTED_MAX else Para("Bảng xếp hạng đầy đủ ở Phụ lục I."),
        Chart("xep_hang_kpi", f"Biểu đồ 1. Điểm KPI của các địa phương, xếp từ cao xuống thấp{both_ends}",
              charts.ranking(ends([(r["name"], r["points"], r["rating"].replace(" (tạm tính)", ""))
                                   for r in ranking.rows]), f"Điểm KPI các địa phương — {period.label}")),
        Chart("xep_loai", "Biểu đồ 2. Số địa phương theo xếp loại",
              charts.rating_counts({b: ratings.get(b, 0) for b in bands}, f"Xếp loại KPI — {period.label}")),
        Heading("2. Các chỉ tiêu chung của nhiều địa phương", 2),
        Para(f"{len(summary.rows)} đại lượng đo được từ hai kế hoạch trở lên đặt chỉ tiêu; mức đạt là kết quả ÷ mục tiêu "
             "của chính kế hoạch địa phương (100% khi đã đạt)."),
        side_by_side(chosen, catalog, matrix) if n <= SIDE_BY_SIDE_MAX else summary,
        Heading("3. Tình hình gửi phiếu báo cáo tháng", 2),
        Para(f"Trong {cover.label}, các địa phương đã gửi {sum(r['received'] for r in rates.rows)}/"
             f"{sum(r['expected'] for r in rates.rows)} phiếu báo cáo tháng phải nộp."),
        Chart("nop_phieu", f"Biểu đồ 3. Tỷ lệ phiếu báo cáo tháng đã nhận của các địa phương, từ thấp đến cao{both_ends}",
              charts.submission_rates(ends(sorted(((r["name"], (r["rate"] or 0) * 100) for r in rates.rows),
                                                  key=lambda nr: (nr[1], nr[0]))),
                                      f"Tỷ lệ phiếu đã nhận — {cover.label}")),
    ]
    weak = [f"{r['name']} ({fmt_number(r['points'], 2)} điểm)" for r in ranking.rows
            if r["rating"].replace(" (tạm tính)", "") in bands[-2:]]
    low = [f"{r['name']} ({fmt_percent((r['rate'] or 0) * 100)})" for r in rates.rows
           if (r["rate"] or 0) * 100 < LOW_SUBMISSION]
    problems: list[Block] = [Heading("1. Tồn tại, hạn chế", 2)]
    if weak:
        problems.append(Bullet(f"Địa phương xếp loại {bands[-2].lower()} hoặc {bands[-1].lower()} ({len(weak)}): {listed(weak)}."))
    if low:
        problems.append(Bullet(f"Địa phương gửi dưới {fmt_number(LOW_SUBMISSION)}% số phiếu phải nộp ({len(low)}): {listed(low)}."))
    if not weak and not low:
        problems.append(Para("Không có địa phương nào xếp loại thấp hoặc thiếu nhiều phiếu báo cáo."))
    problems += [Heading("2. Nguyên nhân", 2), to_write("nguyên nhân")]
    sources, source_sheets = source_tables(counts, catalog)
    n_sheets = int(counts["sheets"].sum())
    head = for_city()
    limit = cut_off(kind, period, None)
    title = f"Kết quả thực hiện Đề án “Hải Phòng - Thành phố Đổi mới sáng tạo” tại các xã, phường {cover.label}"
    return ReportContent(
        letterhead=head, kind=kind, period=period, coverage=cover, cut_off=limit, issued=issued, title_line=title,
        can_cu=(f"Căn cứ kế hoạch triển khai của {n} xã, phường, đặc khu;",
                f"Căn cứ số liệu báo cáo tháng của các địa phương tính đến ngày {fmt_date(limit)} "
                f"({n_sheets} phiếu báo cáo tháng, danh sách ở cuối báo cáo);"),
        intro=f"{head.issuer_text} báo cáo kết quả so sánh giữa các địa phương {cover.label} như sau:",
        sections={"I": blocks, "II": problems,
                  "III": [to_write("nhiệm vụ, giải pháp đôn đốc các địa phương trong " + cover.next_label)],
                  "IV": [to_write("kiến nghị, đề xuất với Ủy ban nhân dân thành phố")]},
        next_heading=cover.next_label,
        closing=f"Trên đây là báo cáo kết quả {cover.label} của {head.issuer_text}./.",
        appendices=(Appendix("PHỤ LỤC I", f"XẾP HẠNG ĐIỂM KPI CÁC ĐỊA PHƯƠNG ĐẾN {period.label.upper()}", ranking),
                    Appendix("PHỤ LỤC II", "MỨC ĐẠT CÁC CHỈ TIÊU CHUNG", summary),
                    Appendix("PHỤ LỤC III", "TÌNH HÌNH GỬI PHIẾU BÁO CÁO THÁNG", rates)),
        sources=sources, source_sheets=source_sheets,
        sample=bool(counts["is_sample"].any()),
        tables=(matrix,),
    )
