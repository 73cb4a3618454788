"""The pandas implementation of the value rules that the store's SQL replaced (``store/sql/``),
kept only as an independent oracle for ``tests/test_values_sql.py``.

Values over units and over time.

Which reporters count (a reporter is a unit, or a village of the village sheet):

* a rate, stock or yes/no (``accumulation: latest``) keeps each reporter's latest report: in
  a month when only some reporters send a sheet, the others count with their last value
  (one village re-sending in November does not erase the other villages' October answers);
  a rate of the year (``latest_year``, e.g. staff trained at least once this year) does the
  same within the year only;
* a flow counted per year (``accumulation: sum_year``) counts only the month's own reports;
* the whole-locality sheet (unit ``all``) is the locality's figure: where it gives a value
  at least as recent as every unit's, it is used alone; a newer unit report wins over an
  older whole-locality figure.

Over units (the reporters that count in a month), by the measure's ``combine``: ``sum`` adds
counts; ``ratio`` is Σ numerator ÷ Σ denominator × 100 when every reporter gave both,
otherwise the mean of the reported percents; ``any`` is "Có" when any reporter says Có;
``share_yes`` is the mean of the villages' 100/0 answers, i.e. the share of villages saying Có.

Over time (value of a locality for a month), by the measure's ``accumulation``: ``latest``
is the latest combined value at or before the month (rates, stocks, yes/no); ``latest_year``
the latest since January of that year; ``sum_year`` adds the monthly values from January of
that year to the month (flows counted per year).
A measure never reported has no value ("chưa báo cáo"), which is not the same as 0.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from plans.model import Measure
from plans.periods import Period
from plans.vocabulary import ALL_UNITS, Accumulation, Combine

MONTHLY_COLUMNS = ["locality_id", "measure", "period", "value"]


KEYS = ["locality_id", "measure"]
CARRIED = (Accumulation.LATEST, Accumulation.LATEST_YEAR)


def _month_number(period: pd.Series) -> pd.Series:
    """``YYYY-MM`` → a month count that orders and compares like the periods."""
    return period.str[:4].astype(int) * 12 + period.str[5:7].astype(int)


def _carry_forward(rows: pd.DataFrame) -> pd.DataFrame:
    """For each month in which a measure of a locality was reported, every reporter's latest row
    at or before that month and in the same ``scope`` (a year for ``latest_year``, else 0);
    ``source`` is the month number the row was reported in."""
    scope = KEYS + ["scope"]
    months = rows[scope + ["period", "month"]].drop_duplicates()
    grid = months.merge(rows[scope + ["reporter"]].drop_duplicates(), on=scope)
    reported = rows.drop(columns=["period"]).rename(columns={"month": "source"}).sort_values("source")
    carried = pd.merge_asof(
        grid.sort_values("month"),
        reported,
        left_on="month",
        right_on="source",
        by=scope + ["reporter"],
        direction="backward",
    )
    return carried[carried["source"].notna()]


def _reporters_that_count(raw: pd.DataFrame, measures: Mapping[str, Measure]) -> pd.DataFrame:
    """The rows combined for each locality, measure and month (see the module docstring)."""
    rows = raw[raw["value"].notna()].assign(
        reporter=lambda f: f["unit_code"] + "\x1f" + f["village"].fillna("").str.lower(),
        month=lambda f: _month_number(f["period"]),
    )
    accumulation = rows["measure"].map({code: m.accumulation for code, m in measures.items()})
    rows["scope"] = np.where(accumulation == Accumulation.LATEST_YEAR, (rows["month"] - 1) // 12, 0)
    carried = accumulation.isin(CARRIED)
    rows = pd.concat(
        [_carry_forward(rows[carried]), rows[~carried].assign(source=lambda f: f["month"])], ignore_index=True
    )
    whole = rows["unit_code"] == ALL_UNITS
    by_month = [rows["locality_id"], rows["measure"], rows["period"]]
    newest_whole = rows["source"].where(whole).groupby(by_month).transform("max")
    newest_unit = rows["source"].where(~whole).groupby(by_month).transform("max")
    use_whole = newest_whole.notna() & ~(newest_unit > newest_whole)
    return rows[whole == use_whole]


def combine_reporters(raw: pd.DataFrame, measures: Mapping[str, Measure]) -> pd.DataFrame:
    """One value per locality, measure and month from the reporters' rows (blank rows ignored)."""
    if raw["value"].notna().sum() == 0:
        return pd.DataFrame(columns=MONTHLY_COLUMNS)
    rows = _reporters_that_count(raw, measures)
    rows["has_ratio"] = rows["numerator"].notna() & rows["denominator"].notna() & (rows["denominator"] > 0)
    rows["num"] = rows["numerator"].where(rows["has_ratio"], 0.0)
    rows["den"] = rows["denominator"].where(rows["has_ratio"], 0.0)
    grouped = (
        rows.groupby(["locality_id", "measure", "period"], sort=True)
        .agg(
            total=("value", "sum"),
            mean=("value", "mean"),
            top=("value", "max"),
            n=("value", "size"),
            n_ratio=("has_ratio", "sum"),
            num=("num", "sum"),
            den=("den", "sum"),
        )
        .reset_index()
    )
    rule = grouped["measure"].map({code: m.combine for code, m in measures.items()})
    ratio_ok = (grouped["n_ratio"] == grouped["n"]) & (grouped["den"] > 0)
    ratio = np.where(ratio_ok, grouped["num"] / grouped["den"].where(grouped["den"] > 0, 1.0) * 100.0, grouped["mean"])
    grouped["value"] = np.select(
        [rule == Combine.SUM, rule == Combine.RATIO, rule == Combine.ANY, rule == Combine.SHARE_YES],
        [grouped["total"], ratio, grouped["top"], grouped["mean"]],
        default=grouped["mean"],
    )
    return grouped[MONTHLY_COLUMNS]


def values_as_of(monthly: pd.DataFrame, measures: Mapping[str, Measure], period: Period) -> pd.DataFrame:
    """Each locality's value of each measure for ``period``: latest (ever, or this year), or
    summed over the year so far.

    Columns: locality_id, measure, value, last_period (the latest month that contributed).
    """
    upto = monthly[monthly["period"] <= str(period)]
    if upto.empty:
        return pd.DataFrame(columns=["locality_id", "measure", "value", "last_period"])
    accumulation = upto["measure"].map({code: m.accumulation for code, m in measures.items()})
    this_year = upto["period"] >= f"{period.year:04d}-01"
    latest = upto[(accumulation == Accumulation.LATEST) | ((accumulation == Accumulation.LATEST_YEAR) & this_year)]
    latest = latest.sort_values("period").groupby(["locality_id", "measure"]).tail(1)
    latest = latest.rename(columns={"period": "last_period"})
    flows = upto[(accumulation == Accumulation.SUM_YEAR) & this_year]
    summed = (
        flows.groupby(["locality_id", "measure"])
        .agg(value=("value", "sum"), last_period=("period", "max"))
        .reset_index()
    )
    out = pd.concat([latest[["locality_id", "measure", "value", "last_period"]], summed], ignore_index=True)
    return out.sort_values(["locality_id", "measure"]).reset_index(drop=True)


def monthly_series(monthly: pd.DataFrame, measures: Mapping[str, Measure], start: Period, end: Period) -> pd.DataFrame:
    """The value as of each month from ``start`` to ``end`` (columns: locality_id, measure, period, value)."""
    frames = []
    for index in range(start.index, end.index + 1):
        period = Period.from_index(index)
        as_of = values_as_of(monthly, measures, period)
        if not as_of.empty:
            frames.append(as_of.assign(period=str(period))[["locality_id", "measure", "period", "value"]])
    if not frames:
        return pd.DataFrame(columns=MONTHLY_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def first_reports(monthly: pd.DataFrame, since: Period | None = None) -> pd.DataFrame:
    """The first combined monthly value of each locality and measure (at or after ``since``).

    This is the baseline of a rate or stock ("latest" measures); flows start from 0 each year.
    """
    rows = monthly if since is None else monthly[monthly["period"] >= str(since)]
    return (
        rows.sort_values("period").groupby(["locality_id", "measure"]).head(1)[MONTHLY_COLUMNS].reset_index(drop=True)
    )
