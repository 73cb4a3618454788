"""Scoring: target attainment, progress toward deadlines, KPI points and ratings."""
