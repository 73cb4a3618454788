"""The path to each target as scoring measures it, for the small charts of the phase page.

The path starts where :mod:`scoring.attainment` starts it: a flow counted
per year from 0 in December of the year before the target year; a rate or stock from its
first reported value (first of the year for "every year" indicators), or at the target itself
when that first value was already at or past it; a first report (the only one so far) is on the
path from 0 at the plan's start (:func:`scoring.attainment.first_report_origin`). Points are
placed at the first day of their month.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from plans.model import Measure
from plans.periods import Period
from plans.text import fmt_target
from plans.vocabulary import Accumulation
from scoring.attainment import first_report_origin, path_has_room, path_start
from scoring.values import first_reports
from ui.charts import IndicatorPath
from ui.palette import status_label


def _firsts(monthly: pd.DataFrame, since: Period | None) -> dict[str, tuple[dt.date, float]]:
    """measure → (month, value) of its first report (at or after ``since``)."""
    firsts = first_reports(monthly, since)
    return {m: (Period.parse(p).first_day, float(v)) for m, p, v in zip(firsts["measure"], firsts["period"], firsts["value"])}


def indicator_paths(indicators: pd.DataFrame, every_year: Mapping[str, bool], monthly: pd.DataFrame,
                    series: pd.DataFrame, measures: Mapping[str, Measure], period: Period,
                    plan_start_year: int) -> list[IndicatorPath]:
    """One :class:`IndicatorPath` per indicator row of one locality, as of ``period``.

    ``monthly``: the locality's combined monthly values; ``series``: its value as of each month.
    """
    monthly = monthly[monthly["period"] <= str(period)]
    first_ever, first_this_year = _firsts(monthly, None), _firsts(monthly, Period(period.year, 1))
    by_measure = {m: rows.sort_values("period") for m, rows in series.groupby("measure")}
    items = []
    for row in indicators.itertuples(index=False):
        mine = by_measure.get(row.measure, series.iloc[0:0])
        target = fmt_target(row.comparator, row.target, row.unit)
        name = row.name if len(row.name) <= 60 else row.name[:59].rstrip() + "…"
        year = int(row.target_year)
        if measures[row.measure].accumulation == Accumulation.SUM_YEAR:
            start = (Period(year - 1, 12).first_day, 0.0)
        else:
            start = (first_this_year if every_year.get(row.code) else first_ever).get(row.measure)
            if start and not path_has_room(row.comparator, start[1], float(row.target)):
                start = (start[0], float(row.target))
            elif start and start[0] == period.first_day:
                origin = first_report_origin(row.comparator, start[1], float(row.target),
                                             path_start(plan_start_year, bool(every_year.get(row.code)), period), period)
                start = start if origin is None else (origin.first_day, 0.0)
        items.append(IndicatorPath(
            title=f"<b>{row.code}</b> {status_label(row.status)}<br>{name}",
            unit=row.unit, status=row.status, periods=tuple(mine["period"]),
            values=tuple(float(v) for v in mine["value"]), target=float(row.target),
            target_label=f"{target} ({year})", target_date=Period(year, 12).first_day, path_start=start,
        ))
    return items
