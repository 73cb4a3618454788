"""One palette for the app's charts and the reports' images: colour-blind-safe colours (Okabe–Ito)
plus a symbol per status, and one colour per locality that every chart (app and report) uses."""

from __future__ import annotations

from collections.abc import Iterable

from plans import vocabulary as s

STATUS_STYLE: dict[str, tuple[str, str]] = {
    s.MET: ("#009E73", "✔"),
    s.ON_TRACK: ("#56B4E9", "▲"),
    s.SPEED_UP: ("#E69F00", "◆"),
    s.BEHIND: ("#D55E00", "▼"),
    s.REGRESSING: ("#CC79A7", "↓"),
    s.NOT_MET: ("#882255", "✖"),
    s.NOT_REPORTED: ("#9E9E9E", "○"),
    s.TASK_DONE: ("#009E73", "✔"),
    s.TASK_IN_PROGRESS: ("#56B4E9", "▶"),
    s.TASK_NOT_STARTED: ("#BDBDBD", "○"),
    s.TASK_OVERDUE: ("#D55E00", "⚠"),
    s.SUBMITTED_ON_TIME: ("#009E73", "✔"),
    s.SUBMITTED_LATE: ("#E69F00", "◆"),
    s.MISSING: ("#D55E00", "✖"),
}
RATING_COLOURS = {
    "Xuất sắc": "#009E73",
    "Tốt": "#56B4E9",
    "Khá": "#0072B2",
    "Trung bình": "#E69F00",
    "Chưa đạt": "#D55E00",
}
SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")
TARGET_COLOUR = "#882255"


def locality_colours(ids: Iterable[str]) -> dict[str, str]:
    """Locality id → its colour, by its place in ``ids`` (the catalog's order, so a locality keeps
    its colour on every chart and in every report whichever localities a chart shows; past eight
    localities the colours come round again)."""
    return {lid: SERIES_COLOURS[index % len(SERIES_COLOURS)] for index, lid in enumerate(ids)}


def status_colour(status: str) -> str:
    return STATUS_STYLE.get(status, ("#9E9E9E", "•"))[0]


def legend(statuses: tuple[str, ...]) -> str:
    """``✔ Đạt · ▲ Đúng tiến độ · …``: the symbols explained in one line."""
    return " · ".join(status_label(status) for status in statuses)


def status_label(status: str) -> str:
    """``met`` → ``✔ Đạt``: the Vietnamese label with its symbol (colour is never the only cue)."""
    return f"{STATUS_STYLE.get(status, ('', '•'))[1]} {s.label(status)}"
