"""The path to each target as scoring measures it, for the small charts of the phase page.

The path starts where :func:`scoring.attainment.evaluate_indicators` starts it: a flow counted
per year from 0 in December of the year before the target year; a rate or stock from its
first reported value (first of the year for "every year" indicators). Points are placed at
the first day of their month.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from loaders.catalog import Measure
from loaders.periods import Period
from scoring.values import first_reports
from ui.charts import IndicatorPath
from ui.format import fmt_target
from ui.palette import status_label


def _start(row: object, measure: Measure, monthly: pd.DataFrame) -> tuple[dt.date, float] | None:
    year = int(row.target_year)
    if measure.accumulation == "sum_year":
        return Period(year - 1, 12).first_day, 0.0
    since = Period(year, 1) if row.every_year else None
    firsts = first_reports(monthly[monthly["measure"] == row.measure], since)
    if firsts.empty:
        return None
    first = firsts.iloc[0]
    return Period.parse(first["period"]).first_day, float(first["value"])


def indicator_paths(indicators: pd.DataFrame, every_year: Mapping[str, bool], monthly: pd.DataFrame,
                    series: pd.DataFrame, measures: Mapping[str, Measure], period: Period) -> list[IndicatorPath]:
    """One :class:`IndicatorPath` per indicator row of one locality, as of ``period``.

    ``monthly``: the locality's combined monthly values; ``series``: its value as of each month.
    """
    monthly = monthly[monthly["period"] <= str(period)]
    items = []
    for row in indicators.assign(every_year=indicators["code"].map(every_year)).itertuples(index=False):
        measure = measures[row.measure]
        mine = series[series["measure"] == row.measure].sort_values("period")
        target = fmt_target(row.comparator, row.target, row.unit)
        name = row.name if len(row.name) <= 60 else row.name[:59].rstrip() + "…"
        items.append(IndicatorPath(
            title=f"<b>{row.code}</b> {status_label(row.status)}<br>{name}",
            unit=row.unit, status=row.status, periods=tuple(mine["period"]),
            values=tuple(float(v) for v in mine["value"]), target=float(row.target),
            target_label=f"{target} ({int(row.target_year)})",
            target_date=Period(int(row.target_year), 12).first_day,
            path_start=_start(row, measure, monthly),
        ))
    return items
