"""Nộp báo cáo tháng: completeness of the monthly sheets (units × months)."""
from __future__ import annotations

from loaders.periods import Period, month_range
from scoring import statuses as s
from ui import charts, controls, data, render, tables

catalog = data.catalog()
locality_id, period = controls.header("Nộp báo cáo tháng")
plan = catalog.plan(locality_id)
large = controls.presenting()
months = month_range(Period(int(plan.meta["start_year"]), 1), period)[-12:]
state, hover = tables.completeness_grid(plan, data.snapshot(), months)
render.chart(charts.status_heatmap(state, hover, s.SUBMISSION_STATUSES,
                                   f"Tình hình nộp phiếu theo đơn vị và tháng — {plan.name}", large),
             f"nop-phieu-{locality_id}-{period}")
