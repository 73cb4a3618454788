"""The path to each target as scoring measures it, for the small charts of the phase page.

The path starts where :mod:`scoring.attainment` starts it: a flow counted
per year from 0 in December of the year before the target year; a rate or stock from its
first reported value (first of the year for "every year" indicators), or at the target itself
when that first value was already at or past it. Points are placed at the first day of their month.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from loaders.catalog import Measure
from loaders.periods import Period
from scoring.attainment import path_has_room
from ui.charts import IndicatorPath
from ui.format import fmt_target
from ui.palette import status_label

First = tuple[str, float]


def _start(first: First | None) -> tuple[dt.date, float] | None:
    return (Period.parse(first[0]).first_day, float(first[1])) if first else None


def indicator_paths(indicators: pd.DataFrame, every_year: Mapping[str, bool], first_ever: Mapping[str, First],
                    first_this_year: Mapping[str, First], series: pd.DataFrame,
                    measures: Mapping[str, Measure]) -> list[IndicatorPath]:
    """One :class:`IndicatorPath` per indicator row of one locality.

    ``first_ever`` / ``first_this_year``: measure → (month, value) of its first report (ever, or
    since January), as of the month shown (``LocalityReport.first_values``, ``year_first_values``);
    ``series``: the locality's value as of each month.
    """
    by_measure = {m: rows.sort_values("period") for m, rows in series.groupby("measure")}
    items = []
    for row in indicators.itertuples(index=False):
        mine = by_measure.get(row.measure, series.iloc[0:0])
        target = fmt_target(row.comparator, row.target, row.unit)
        name = row.name if len(row.name) <= 60 else row.name[:59].rstrip() + "…"
        year = int(row.target_year)
        if measures[row.measure].accumulation == "sum_year":
            start = (Period(year - 1, 12).first_day, 0.0)
        else:
            start = _start((first_this_year if every_year.get(row.code) else first_ever).get(row.measure))
            if start and not path_has_room(row.comparator, start[1], float(row.target)):
                start = (start[0], float(row.target))
        items.append(IndicatorPath(
            title=f"<b>{row.code}</b> {status_label(row.status)}<br>{name}",
            unit=row.unit, status=row.status, periods=tuple(mine["period"]),
            values=tuple(float(v) for v in mine["value"]), target=float(row.target),
            target_label=f"{target} ({year})", target_date=Period(year, 12).first_day, path_start=start,
        ))
    return items
