"""What a locality's report says in its body, as an official writes it (../shared/REPORT_FORM.md):
prose by the plan's own groups with the figures against the year's target and an earlier month,
an overall assessment (strengths first, then shortcomings, then the causes the office writes), the
tasks of the next period as numbered imperatives, and the proposals. No symbols, no forecasts, no
internal codes, no charts or tables: those are in the appendices.

Sections (keys are the template's tags, ``reports.template.SECTIONS``): ``chi_dao``, ``ket_qua``,
``danh_gia``, ``phuong_huong``, ``kien_nghi``. A monthly report says the same in a few paragraphs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from plans import vocabulary as vocab
from plans.model import Plan
from plans.periods import Period
from plans.text import fmt_percent
from plans.vocabulary import Accumulation, MeasureUnit
from reports.blocks import Block, Bullet, Heading, Para
from reports.kinds import Coverage
from reports.lines import IndicatorLine, SheetMonth, TaskLine, UnitSheets
from reports.names import plan_reference, plan_subject
from reports.wording import (
    body_date,
    change_words,
    fmt_max_points,
    fmt_points,
    joined,
    lowered,
    month_words,
    target_words,
    value_words,
)
from scoring.attainment import lower_is_better
from scoring.kpi import KpiScore

NAMED_MAX = 6
"""At most this many names in one sentence ("… và 4 chỉ tiêu khác")."""
TASK_NAME_CHARS = 140
NEXT_TASKS_MAX = 12
BRIEF_TASK_CHARS = 90
BRIEF_TASKS = 3
BRIEF_NAMES = 3


@dataclass(frozen=True)
class Notes:
    """What the office writes itself (empty: nothing is printed; "Không." for the proposals)."""

    chi_dao: str = ""
    nguyen_nhan: str = ""
    kien_nghi: str = ""


@dataclass(frozen=True)
class Facts:
    """Everything the body of one locality's report is written from."""

    plan: Plan
    issuer: str
    cover: Coverage
    period: Period
    indicators: list[IndicatorLine]
    tasks: list[TaskLine]
    months: list[SheetMonth]
    units: list[UnitSheets]
    kpi: KpiScore
    kpi_title: str
    final: bool

    @property
    def missed(self) -> str:
        """ "không đạt" once the period's data is final, "chưa đạt" while it is provisional."""
        return "không đạt" if self.final else "chưa đạt"


def named(items: list[str], what: str = "chỉ tiêu", limit: int = NAMED_MAX) -> str:
    """Up to ``limit`` items joined with "và", the rest counted ("a, b, c và 4 chỉ tiêu khác")."""
    if len(items) <= limit:
        return joined(items)
    return f"{', '.join(items[:limit])} và {len(items) - limit} {what} khác"


def short(text: str, limit: int = TASK_NAME_CHARS) -> str:
    """A task's text cut at a word before ``limit`` characters ("…" where cut), its final stop dropped."""
    text = " ".join(text.split()).rstrip(".;:")
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def goal(line: IndicatorLine, period: Period) -> str:
    """ "kế hoạch năm 2026" for a target of the report's year, else "mục tiêu đến năm 2030"."""
    return (
        f"kế hoạch năm {line.target_year}"
        if line.target_year == period.year
        else f"mục tiêu đến năm {line.target_year}"
    )


def lag_words(line: IndicatorLine) -> str:
    """How a lagging indicator is lagging, in words ("" when it is not)."""
    if not line.lagging:
        return ""
    if line.status == vocab.REGRESSING:
        if line.accumulation == Accumulation.SUM_YEAR:  # a count of the year: the figure already says it
            return ""
        since = f" so với {month_words(line.baseline_period)}" if line.baseline_period is not None else ""
        return f"xa mục tiêu hơn{since}"
    if line.status == vocab.BEHIND:
        return "còn chậm so với lộ trình"
    if line.status == vocab.NOT_MET:
        return ""
    return "cần đẩy nhanh để kịp mục tiêu"


def standing(line: IndicatorLine, period: Period) -> str:
    """ "33,3%, mục tiêu đến năm 2030 đạt 100%"; "chưa hoàn thành, mục tiêu đến năm 2030"."""
    if line.unit == MeasureUnit.YES_NO:
        return f"{value_words(line.actual or 0, line.unit)}, {goal(line, period)}"
    return (
        f"{value_words(line.actual, line.unit, line.noun)}, {goal(line, period)} "
        f"{target_words(line.comparator, line.target, line.unit, line.noun)}"
    )


def aim_words(line: IndicatorLine, year: int, period: Period) -> str:
    """ "phấn đấu đạt từ 80% trở lên trong năm 2026", "phấn đấu hoàn thành vào năm 2030"."""
    words = target_words(line.comparator, line.target, line.unit, line.noun)
    verb = words if words.startswith(("đạt", "không", "hoàn thành")) else f"đạt {words}"
    return f"phấn đấu {verb} {'trong năm' if year <= period.year + 1 else 'vào năm'} {year}"


def result_sentence(line: IndicatorLine, period: Period, missed: str = "không đạt") -> str:
    """One indicator's result in words: the figure, its change since an earlier month, how it
    stands against the year's plan or the final target, and how it lags if it does (``missed``:
    how a target whose year is over reads, "chưa đạt" while the data is provisional)."""
    aim = goal(line, period)
    words = target_words(line.comparator, line.target, line.unit, line.noun)
    if line.actual is None:
        return f"{line.name} chưa có số liệu báo cáo ({aim}: {words})."
    if line.unit == MeasureUnit.YES_NO:
        state = "đã hoàn thành" if line.status == vocab.MET else f"chưa hoàn thành ({aim})"
        return f"Nội dung “{lowered(line.name)}” {state}."
    lower = lower_is_better(line.comparator)
    parts = [f"{line.name} {'là' if lower else 'đạt'} {value_words(line.actual, line.unit, line.noun)}"]
    if line.before is not None:
        parts.append(f"{change_words(line.actual, line.before, line.unit, line.noun)} so với {line.before_label}")
    if line.status == vocab.MET:
        beyond = not lower and line.actual > line.target + 1e-9
        parts.append(f"{'vượt' if beyond else 'đạt'} {aim} ({words})")
    elif line.status == vocab.NOT_MET:
        parts.append(f"{missed} {aim} ({words})")
    elif lower or not line.attainment:
        parts.append(f"chưa đạt {aim} ({words})")
    else:
        parts.append(f"bằng {fmt_percent(line.attainment * 100)} {aim} ({words})")
    parts.append(lag_words(line))
    return ", ".join(p for p in parts if p) + "."


def sheets_sentence(months: list[SheetMonth], label: str) -> str:
    """How many monthly sheets were due and sent in the report's months, adding up: received +
    not sent + not yet due = expected."""
    expected = sum(m.expected for m in months)
    if not expected:
        return ""
    received, on_time = sum(m.received for m in months), sum(m.on_time for m in months)
    missing, waiting = sum(m.missing for m in months), [m for m in months if m.not_due]
    parts = [f"Trong {label}, các cơ quan, đơn vị đã gửi {received}/{expected} lượt báo cáo tháng"]
    if received:
        parts.append(
            joined(
                [f"{on_time} lượt đúng hạn"] + ([f"{received - on_time} lượt gửi muộn"] if received > on_time else [])
            )
        )
    if missing:
        parts.append(f"{missing} lượt chưa gửi")
    for month in waiting:
        parts.append(
            f"{month.not_due} lượt của {month_words(month.month)} chưa đến hạn gửi (hạn ngày {body_date(month.due)})"
        )
    return "; ".join(parts) + "."


def chi_dao(facts: Facts) -> list[Block]:
    """I. Công tác chỉ đạo, điều hành: the plan and how its results are followed, the monthly sheets."""
    plan = facts.plan
    blocks: list[Block] = [
        Para(
            f"{facts.issuer} đã ban hành {plan_reference(plan)} về {plan_subject(plan)}; giao Phòng Văn hóa - Xã hội "
            "làm cơ quan đầu mối theo dõi, đôn đốc, tổng hợp kết quả; các cơ quan, đơn vị chủ trì nhiệm vụ, chỉ tiêu "
            "báo cáo kết quả thực hiện hằng tháng."
        )
    ]
    sent = sheets_sentence(facts.months, facts.cover.label)
    if sent:
        blocks.append(Para(sent))
    return blocks


def _indicator_totals(lines: list[IndicatorLine], period: Period) -> str:
    met = sum(1 for i in lines if i.status == vocab.MET)
    unreported = sum(1 for i in lines if i.status == vocab.NOT_REPORTED)
    lagging = sum(1 for i in lines if i.lagging)
    on_path = len(lines) - met - unreported - lagging
    parts = [
        f"{n} chỉ tiêu {words}"
        for n, words in (
            (met, "đã đạt"),
            (on_path, "đúng lộ trình"),
            (lagging, "còn chậm hoặc chưa đạt"),
            (unreported, "chưa có số liệu"),
        )
        if n
    ]
    return f"Kế hoạch có {len(lines)} chỉ tiêu; đến hết {month_words(period)}: {joined(parts)}."


def _task_counts(rows: list[TaskLine]) -> str:
    """ "3 hoàn thành, 41 đang thực hiện và 4 quá hạn" (the counts add up to the tasks)."""
    found = Counter(t.row.status for t in rows)
    return joined([f"{found[s]} {vocab.label(s).lower()}" for s in vocab.TASK_STATUSES if found[s]])


def _unit_counts(rows: list[TaskLine]) -> str:
    """A unit's tasks: "4 nhiệm vụ, đều đang thực hiện" when all are in one state, else the counts."""
    states = {t.row.status for t in rows}
    if len(states) == 1:
        state = vocab.label(states.pop()).lower()
        return f"{len(rows)} nhiệm vụ, {'đều ' if len(rows) > 1 else ''}{state}"
    return f"{len(rows)} nhiệm vụ: {_task_counts(rows)}"


def _done_in(tasks: list[TaskLine], cover: Coverage) -> list[TaskLine]:
    return [t for t in tasks if t.done_in is not None and t.done_in >= cover.first]


def _cited(task: TaskLine) -> str:
    return f"“{short(task.row.name)}”" + (f" ({task.evidence})" if task.evidence else "")


def task_paragraphs(facts: Facts) -> list[Block]:
    """The tasks: totals that add up, then what each lead unit did (the documents or events reported)."""
    tasks = facts.tasks
    if not tasks:
        return [Para("Kế hoạch không giao nhiệm vụ có thời hạn.")]
    blocks: list[Block] = [
        Para(f"Kế hoạch giao {len(tasks)} nhiệm vụ; đến hết {month_words(facts.period)}: {_task_counts(tasks)}.")
    ]
    per_unit: dict[str, list[TaskLine]] = {}
    for task in tasks:
        for unit in task.leads:
            per_unit.setdefault(unit, []).append(task)
    for unit, mine in per_unit.items():
        done = _done_in(mine, facts.cover)
        text = f"{unit} chủ trì {_unit_counts(mine)}"
        if done:
            text += f"; trong kỳ đã hoàn thành {named([_cited(t) for t in done], 'nhiệm vụ')}"
        blocks.append(Bullet(text + "."))
    if any(len(t.leads) > 1 for t in tasks):
        blocks.append(Para("Nhiệm vụ do nhiều đơn vị cùng chủ trì được tính cho từng đơn vị."))
    return blocks


def kpi_paragraph(facts: Facts) -> Para:
    """The self-assessment by the KPI framework: total, band, groups; for a year not over, cumulative."""
    kpi = facts.kpi
    when = f"lũy kế đến hết {month_words(facts.period)}" if kpi.provisional else f"năm {facts.period.year}"
    text = (
        f"Kết quả tự đánh giá theo {facts.kpi_title} {when} đạt {fmt_points(kpi.points)}/100 điểm, "
        f"tương ứng mức {kpi.rating}; theo nhóm: "
        + "; ".join(f"{g.name.lower()} {fmt_points(g.points)}/{fmt_max_points(g.max_points)} điểm" for g in kpi.groups)
        + "."
    )
    if kpi.provisional:
        text += f" Bộ chỉ số đánh giá theo năm, kết quả chính thức được tính khi hết năm {facts.period.year}."
    if kpi.not_reported:
        text += f" Có {kpi.not_reported} chỉ số chưa có số liệu báo cáo (tính 0 điểm)."
    return Para(text)


def ket_qua(facts: Facts) -> list[Block]:
    """II. Kết quả thực hiện: the indicators by the plan's own groups, the tasks, the KPI self-assessment."""
    lines, period = facts.indicators, facts.period
    blocks: list[Block] = [Heading("1. Kết quả thực hiện các chỉ tiêu", 2), Para(_indicator_totals(lines, period))]
    by_group: dict[str, list[IndicatorLine]] = {}
    for line in lines:
        by_group.setdefault(line.group, []).append(line)
    groups = [g for g in facts.plan.groups if str(g["code"]) in by_group]
    for n, group in enumerate(groups, start=1):
        blocks.append(Heading(f"1.{n}. {group['name']}", 3))
        blocks.append(
            Para(" ".join(result_sentence(line, period, facts.missed) for line in by_group[str(group["code"])]))
        )
    blocks += [Heading("2. Kết quả thực hiện các nhiệm vụ", 2), *task_paragraphs(facts)]
    blocks += [Heading("3. Kết quả tự đánh giá theo Bộ chỉ số", 2), kpi_paragraph(facts)]
    return blocks


def strengths(facts: Facts) -> list[str]:
    """What went well, from the data: targets met, on their path, tasks done, units reporting on time."""
    lines = facts.indicators
    met = [i for i in lines if i.status == vocab.MET]
    on_path = [i for i in lines if i.status == vocab.ON_TRACK and not i.lagging]
    done = _done_in(facts.tasks, facts.cover)
    punctual = [u.name for u in facts.units if u.due and u.on_time == u.due]
    found = []
    if met:
        found.append(
            f"Có {len(met)}/{len(lines)} chỉ tiêu đã đạt mục tiêu, gồm: {named([lowered(i.name) for i in met])}."
        )
    if on_path:
        found.append(f"{len(on_path)} chỉ tiêu có kết quả đúng lộ trình đến năm mục tiêu.")
    if done:
        found.append(f"Các cơ quan, đơn vị đã hoàn thành {len(done)} nhiệm vụ trong kỳ.")
    if punctual:
        found.append(f"{named(punctual, 'đơn vị')} gửi đầy đủ, đúng hạn báo cáo tháng trong kỳ.")
    return found


def shortcomings(facts: Facts) -> list[str]:
    """What lags, in prose: indicators behind or moving away, unmet ones, unreported ones, overdue
    tasks, units that did not send or sent late."""
    lines = facts.indicators
    found = []

    def standings(lead: str, chosen: list[IndicatorLine]) -> str:
        """``lead``, then the indicators named with where each stands."""
        return f"{lead} {named([f'{lowered(i.name)} ({standing(i, facts.period)})' for i in chosen])}."

    slow = [i for i in lines if i.lagging and i.status != vocab.NOT_MET]
    if slow:
        found.append(standings("Một số chỉ tiêu còn chậm so với lộ trình hoặc có kết quả xa mục tiêu hơn, như:", slow))
    missed = [i for i in lines if i.status == vocab.NOT_MET]
    if missed:
        found.append(standings(facts.missed.capitalize(), missed))
    unreported = [i for i in lines if i.status == vocab.NOT_REPORTED]
    if unreported:
        found.append(
            f"Còn {len(unreported)} chỉ tiêu chưa có số liệu báo cáo: {named([lowered(i.name) for i in unreported])}."
        )
    overdue = [t for t in facts.tasks if t.row.status == vocab.TASK_OVERDUE]
    if overdue:
        leads = Counter(u for t in overdue for u in t.leads)
        found.append(
            f"Còn {len(overdue)} nhiệm vụ quá hạn chưa hoàn thành (chủ trì: "
            + "; ".join(f"{unit} {n} nhiệm vụ" for unit, n in leads.most_common())
            + ")."
        )
    behind = [u for u in facts.units if u.missing or u.late]
    if behind:
        found.append(
            "Một số đơn vị chưa gửi đầy đủ, đúng hạn báo cáo tháng: "
            + named([f"{u.name} ({_lapses(u.missing, u.late)})" for u in behind], "đơn vị")
            + "."
        )
    return found


def _lapses(missing: int, late: int) -> str:
    """ "chưa gửi 2 lượt, gửi muộn 1 lượt": what a unit failed to send, each part only when it happened."""
    return joined(
        [p for p in (f"chưa gửi {missing} lượt" if missing else "", f"gửi muộn {late} lượt" if late else "") if p]
    )


def danh_gia(facts: Facts) -> list[Block]:
    """III. Đánh giá chung: strengths first, then shortcomings (the causes are the office's: :func:`noted`)."""
    good = strengths(facts) or ["Các cơ quan, đơn vị đã triển khai nhiệm vụ được giao và theo dõi kết quả hằng tháng."]
    bad = shortcomings(facts) or ["Qua số liệu báo cáo, chưa có chỉ tiêu, nhiệm vụ nào chậm so với kế hoạch."]
    return [
        Heading("1. Ưu điểm", 2),
        *[Bullet(text) for text in good],
        Heading("2. Tồn tại, hạn chế", 2),
        *[Bullet(text) for text in bad],
    ]


def next_tasks(facts: Facts, brief: bool = False) -> list[str]:
    """The next period's tasks as imperatives: the plan's tasks due in it, the overdue ones, the
    lagging targets turned into tasks, the yearly targets that apply again, the recurring work
    (``brief``: a monthly report's few: the tasks due, the lagging targets, the sheets)."""
    if brief:
        return _brief_tasks(facts)
    cover, period = facts.cover, facts.period
    end = cover.next_last.last_day
    items = []
    due = [
        t
        for t in facts.tasks
        if t.row.deadline is not None and period.last_day < t.row.deadline <= end and t.row.status != vocab.TASK_DONE
    ]
    for task in due[:NEXT_TASKS_MAX]:
        items.append(
            f"{short(task.row.name)} ({joined(list(task.leads))} chủ trì, hoàn thành trong {task.deadline_words})."
        )
    if len(due) > NEXT_TASKS_MAX:
        items.append(
            f"Thực hiện {len(due) - NEXT_TASKS_MAX} nhiệm vụ khác đến hạn trong {cover.next_label} (Phụ lục II)."
        )
    overdue = [t for t in facts.tasks if t.row.status == vocab.TASK_OVERDUE]
    if overdue:
        items.append(
            f"Tập trung hoàn thành {len(overdue)} nhiệm vụ đã quá hạn: "
            f"{named([_cited(t) for t in overdue], 'nhiệm vụ')}."
        )
    next_year = cover.next_last.year
    again = period.month == 12 and cover.kind != "thang"  # the year is over: yearly targets start again
    keep = []
    for line in facts.indicators:
        if (
            line.status == vocab.MET
            or (line.target_year > next_year and not line.lagging)
            or (line.every_year and again)
        ):
            continue
        now = "chưa có số liệu" if line.actual is None else f"hiện {value_words(line.actual, line.unit, line.noun)}"
        if (
            lower_is_better(line.comparator)
            and line.target <= 0
            and line.accumulation == Accumulation.SUM_YEAR
            and line.actual
            and not again
        ):
            items.append(
                f"Tập trung các giải pháp, không để xảy ra thêm {line.noun or 'trường hợp nào'} trong năm "
                f"{period.year} ({lowered(line.name)} {now})."
            )
        elif line.status == vocab.NOT_MET:
            items.append(
                f"Khắc phục, sớm hoàn thành chỉ tiêu {lowered(line.name)} ({now}), "
                f"{aim_words(line, next_year, period)}."
            )
        elif line.lagging:
            items.append(
                f"Tập trung đẩy nhanh {lowered(line.name)} ({now}), "
                f"{aim_words(line, next_year if line.every_year else line.target_year, period)}."
            )
        else:
            keep.append(line)
    reported = [line for line in keep if line.actual is not None]
    if reported:
        items.append(
            f"Duy trì tiến độ để hoàn thành các chỉ tiêu đến hạn trong {cover.next_label}: "
            + "; ".join(
                f"{lowered(line.name)} (hiện {value_words(line.actual, line.unit, line.noun)}, kế hoạch "
                f"{target_words(line.comparator, line.target, line.unit, line.noun)})"
                for line in reported
            )
            + "."
        )
    unreported = [line for line in keep if line.actual is None]
    if unreported:
        items.append(
            "Các cơ quan, đơn vị chịu trách nhiệm thực hiện và báo cáo số liệu các chỉ tiêu đến hạn chưa có số "
            "liệu: "
            + "; ".join(
                f"{lowered(line.name)} (kế hoạch {target_words(line.comparator, line.target, line.unit, line.noun)})"
                for line in unreported
            )
            + "."
        )
    yearly = [line for line in facts.indicators if line.every_year]
    if again and yearly:
        items.append(
            f"Tổ chức thực hiện các chỉ tiêu hằng năm của năm {period.year + 1}: "
            + "; ".join(
                f"{lowered(line.name)} {target_words(line.comparator, line.target, line.unit, line.noun)}"
                for line in yearly
            )
            + "."
        )
    recurring = [t for t in facts.tasks if t.recurring]
    if recurring:
        items.append(f"Tiếp tục thực hiện {len(recurring)} nhiệm vụ thường xuyên, định kỳ theo Kế hoạch.")
    if any(u.missing or u.late for u in facts.units):
        items.append(
            "Các cơ quan, đơn vị gửi báo cáo tháng đầy đủ, đúng hạn (trước ngày 05 của tháng sau) "
            "để tổng hợp, đánh giá."
        )
    return items


def _brief_tasks(facts: Facts) -> list[str]:
    end = facts.cover.next_last.last_day
    due = [
        t
        for t in facts.tasks
        if t.row.deadline is not None
        and facts.period.last_day < t.row.deadline <= end
        and t.row.status != vocab.TASK_DONE
    ]
    items = [f"{short(t.row.name, BRIEF_TASK_CHARS)} ({joined(list(t.leads))} chủ trì)." for t in due[:BRIEF_TASKS]]
    if len(due) > BRIEF_TASKS:
        items.append(f"Hoàn thành {len(due) - BRIEF_TASKS} nhiệm vụ khác đến hạn trong {facts.cover.next_label}.")
    lagging = [i for i in facts.indicators if i.lagging]
    if lagging:
        items.append(f"Tập trung đẩy nhanh {len(lagging)} chỉ tiêu còn chậm (Phụ lục).")
    if any(u.missing or u.late for u in facts.units):
        items.append("Các cơ quan, đơn vị gửi báo cáo tháng đúng hạn (trước ngày 05 của tháng sau).")
    return items


def phuong_huong(facts: Facts) -> list[Block]:
    """IV. Phương hướng, nhiệm vụ of the next period, numbered."""
    return [Para(f"{n}. {text}") for n, text in enumerate(next_tasks(facts), start=1)]


def body(facts: Facts) -> dict[str, list[Block]]:
    """Every section of the body, by the template's tags (before the office's text: :func:`noted`)."""
    return {
        "chi_dao": chi_dao(facts),
        "ket_qua": ket_qua(facts),
        "danh_gia": danh_gia(facts),
        "phuong_huong": phuong_huong(facts),
        "kien_nghi": [],
    }


def _paragraphs(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.strip().splitlines() if line.strip()]


def noted(sections: dict[str, list[Block]], notes: Notes, brief: bool) -> dict[str, list[Block]]:
    """The sections with the office's own text: its paragraphs after the generated ones of section I,
    the causes at the end of section III ("3. Nguyên nhân"; in a ``brief`` monthly report one
    paragraph "Nguyên nhân: …"), the proposals as section V ("Không." when there are none). Text
    left empty prints nothing."""
    out = dict(sections)
    out["chi_dao"] = sections["chi_dao"] + [Para(line) for line in _paragraphs(notes.chi_dao)]
    causes = _paragraphs(notes.nguyen_nhan)
    if causes and brief:
        out["danh_gia"] = sections["danh_gia"] + [Para("Nguyên nhân: " + " ".join(causes))]
    elif causes:
        out["danh_gia"] = sections["danh_gia"] + [Heading("3. Nguyên nhân", 2), *[Para(line) for line in causes]]
    out["kien_nghi"] = [Para(line) for line in _paragraphs(notes.kien_nghi)] or [Para("Không.")]
    return out


def monthly_body(facts: Facts) -> dict[str, list[Block]]:
    """A monthly report: the same sections in a few short paragraphs of counts (one page of prose;
    the figures of each indicator are in the appendix table)."""
    lines, period = facts.indicators, facts.period
    lagging = [i for i in lines if i.lagging]
    results = _indicator_totals(lines, period)
    if lagging:
        results += f" Cần tập trung: {named([lowered(i.name) for i in lagging], 'chỉ tiêu', BRIEF_NAMES)} (Phụ lục)."
    done = _done_in(facts.tasks, facts.cover)
    overdue = sum(1 for t in facts.tasks if t.row.status == vocab.TASK_OVERDUE)
    tasks = (
        f"Trong tháng, các cơ quan, đơn vị đã hoàn thành {len(done)} nhiệm vụ"
        if done
        else "Trong tháng, chưa có nhiệm vụ nào được báo cáo hoàn thành"
    )
    tasks += f"; còn {overdue} nhiệm vụ quá hạn." if overdue else "."
    met = sum(1 for i in lines if i.status == vocab.MET)
    punctual = sum(1 for u in facts.units if u.due and u.on_time == u.due)
    behind = sum(1 for u in facts.units if u.missing or u.late)
    good = [f"có {met}/{len(lines)} chỉ tiêu đã đạt mục tiêu"] * bool(met)
    good += [f"{punctual}/{len(facts.units)} đơn vị gửi báo cáo đúng hạn"] * bool(punctual)
    bad = [f"còn {len(lagging)} chỉ tiêu chậm so với lộ trình hoặc chưa đạt"] * bool(lagging)
    bad += [f"{overdue} nhiệm vụ quá hạn"] * bool(overdue)
    bad += [f"{behind} đơn vị chưa gửi hoặc gửi muộn báo cáo"] * bool(behind)
    assessment = [Para(f"Ưu điểm: {joined(good)}.")] * bool(good) + [Para(f"Tồn tại, hạn chế: {joined(bad)}.")] * bool(
        bad
    )
    return {
        "chi_dao": chi_dao(facts)[1:],
        "ket_qua": [Para(results), Para(tasks)],
        "danh_gia": assessment or [Para("Không có nội dung cần lưu ý trong tháng.")],
        "phuong_huong": [Para(f"{n}. {text}") for n, text in enumerate(next_tasks(facts, brief=True), start=1)],
        "kien_nghi": [],
    }


def closing(cover: Coverage, ahead: str, issuer: str, recipient: str, purpose: str) -> str:
    """ "Trên đây là báo cáo …, gửi <recipient> <purpose>./."."""
    return (
        f"Trên đây là báo cáo kết quả thực hiện {cover.label} và {ahead} {cover.next_label} "
        f"của {issuer}, gửi {recipient} {purpose}./."
    )


def opening(plan: Plan, issuer: str, cover: Coverage, ahead: str, first: str, last: str, provisional: bool) -> str:
    """ "Thực hiện Kế hoạch số …, <issuer> báo cáo … (số liệu tính từ ngày … đến ngày …), như sau:"; data
    of a period not over yet is "tạm tính" (provisional)."""
    data = f"số liệu {'tạm tính ' if provisional else ''}từ ngày {first} đến ngày {last}"
    return (
        f"Thực hiện {plan_reference(plan)} của {issuer} về {plan_subject(plan)}, {issuer} báo cáo kết quả "
        f"thực hiện {cover.label} và {ahead} {cover.next_label} ({data}), như sau:"
    )
