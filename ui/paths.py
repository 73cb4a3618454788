"""The path to each target as scoring measures it, for the small charts of the phase page.

The path starts where :func:`scoring.attainment.path_start` starts it, from the baseline that
scoring computed for the indicator row (its ``baseline`` and ``baseline_period``). Points are
placed at the first day of their month.
"""

from __future__ import annotations

import pandas as pd

from plans.palette import status_label
from plans.periods import Period
from plans.text import fmt_target
from scoring.attainment import path_start
from ui.charts import IndicatorPath


def indicator_paths(indicators: pd.DataFrame, series: pd.DataFrame) -> list[IndicatorPath]:
    """One :class:`IndicatorPath` per indicator row of one locality.

    ``indicators``: scoring's indicator rows at the month shown; ``series``: the locality's value
    as of each month.
    """
    by_measure = {m: rows.sort_values("period") for m, rows in series.groupby("measure")}
    items = []
    for row in indicators.itertuples(index=False):
        mine = by_measure.get(row.measure, series.iloc[0:0])
        target = fmt_target(row.comparator, row.target, row.unit)
        year = int(row.target_year)
        start = path_start(row.comparator, row.baseline_period, row.baseline, float(row.target))
        items.append(
            IndicatorPath(
                title=f"<b>{row.code}</b> {status_label(row.status)}<br>{row.name}",
                unit=row.unit,
                status=row.status,
                periods=tuple(mine["period"]),
                values=tuple(float(v) for v in mine["value"]),
                target=float(row.target),
                target_label=f"{target} ({year})",
                target_date=Period(year, 12).first_day,
                path_start=(start[0].first_day, start[1]) if start else None,
            )
        )
    return items
