"""Shared state and the widgets every page uses: locality and month pickers, the presentation
toggle and stepper, the page header, the empty state, and the link that carries the choice
(``?dia_phuong=<id>&thang=YYYY-MM&trinh_chieu=1``).

Shared values live in ``st.session_state`` under plain keys ("locality_id", "period",
"presentation"); each widget has its own key and copies its value back on change, so the
choice survives page switches (Streamlit forgets the state of widgets a page does not draw).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from plans import clock
from plans.deadlines import DEFAULT_DUE_DAY, sheet_due_date
from plans.model import Catalog
from plans.periods import Period, month_range
from store.accounts import Account
from ui import data, viewport

UPLOAD_PAGE = "views/upload.py"
PICK = "Chọn một mục"
PRESENTATION_CSS = """
<style>
html { font-size: 21px; }
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding-top: 3.2rem; max-width: 100%; }
[data-testid="stMetricValue"] { font-size: 2.6rem; }
[data-testid="stMetricLabel"] p { font-size: 1.05rem; }
[data-testid="stTable"] table { font-size: 1rem; }
[data-testid="stTable"] th, [data-testid="stTable"] td { color: #111111 !important; padding: 0.45rem 0.6rem; }
[data-testid="stTable"] th { font-weight: 700; background: #EEF2F7; }
</style>
"""


def visible_ids(catalog: Catalog) -> list[str]:
    """The localities the picker offers: every one (the read rule, ``store.accounts.Account``), the
    signed-in account's own locality first."""
    account = st.session_state.get("account")
    home = account.home if account is not None else None
    return sorted(catalog.plans, key=lambda pid: pid != home)


LINK_PARAMS = {"dia_phuong": "locality_id", "thang": "period", "trinh_chieu": "presentation"}
_LINK_SEEN = "link_seen"


def default_period(latest: Period | None, today: dt.date, due_day: int = DEFAULT_DUE_DAY) -> Period:
    """The newest month whose sheets are due (their last on-time day, the ``due_day`` of the next
    month, has come) or have arrived (``latest``, the newest month with data): on 1/12 that is
    10/2026 unless November's sheets are in — never the month that has just begun."""
    due = Period.of(today).shift(-1)
    while sheet_due_date(due, due_day) > today:
        due = due.shift(-1)
    return max(due, latest) if latest else due


def init_state(catalog: Catalog, latest: Period | None, today: dt.date, account: Account) -> None:
    """Defaults: the account's own locality (an admin or a city-wide viewer: the first plan, plans
    being ordered by their seed document), the newest month due (:func:`default_period`); then what
    the address asks for (:func:`read_link`)."""
    if st.session_state.get("locality_id") not in catalog.plans:
        st.session_state["locality_id"] = account.home if account.home in catalog.plans else next(iter(catalog.plans))
    options = period_options(catalog, latest, today)
    st.session_state.setdefault("period", max(str(default_period(latest, today)), options[-1]))
    st.session_state.setdefault("presentation", False)
    notices = read_link(catalog, options)
    if notices:
        st.session_state["link_notices"] = notices


def read_link(catalog: Catalog, options: Sequence[str]) -> list[str]:
    """Apply ``?dia_phuong=<id>&thang=YYYY-MM&trinh_chieu=1`` when the address changed since the
    app last read or wrote it (a shared link, F5); returns a Vietnamese notice per unknown value
    (the value is then ignored), which the page header shows."""
    asked = {name: st.query_params.get(name) for name in LINK_PARAMS}
    if asked == st.session_state.get(_LINK_SEEN):
        return []
    st.session_state[_LINK_SEEN] = asked
    notices = []
    locality, month, presenting_ = asked["dia_phuong"], asked["thang"], asked["trinh_chieu"]
    if locality is not None:
        if locality in catalog.plans:
            st.session_state["locality_id"] = locality
        else:
            notices.append(
                f"Đường dẫn có mã địa phương “{locality}” không có trong danh mục; đang hiện "
                f"{catalog.plans[st.session_state['locality_id']].name}. Các mã: " + ", ".join(catalog.plans) + "."
            )
    if month is not None:
        try:
            wanted = str(Period.parse(month))
        except ValueError:
            wanted = None
        if wanted in options:
            st.session_state["period"] = wanted
        else:
            notices.append(
                f"Đường dẫn có tháng “{month}” không dùng được (cần dạng YYYY-MM, từ "
                f"{Period.parse(options[-1]).label} đến {Period.parse(options[0]).label}); đang hiện "
                f"{Period.parse(st.session_state['period']).label}."
            )
    if presenting_ is not None:
        if presenting_ in ("0", "1"):
            st.session_state["presentation"] = presenting_ == "1"
        else:
            notices.append(f"Đường dẫn có trinh_chieu=“{presenting_}”: chỉ dùng 1 (bật chế độ trình chiếu) hoặc 0.")
    return notices


def linked(param: str, state_key: str, options: Mapping[str, str] | Sequence[str]) -> None:
    """Keep a page's own choice (``state_key``: the slide shown in presentation, a topic, a group) in
    the address as ``param``, so a shared link or F5 opens the same one. ``options``: the values, or
    a mapping from what the address says to the value. A value the address brings (one this session
    did not write itself) is taken when it is known; then the current choice is written back."""
    codes = dict(options) if isinstance(options, Mapping) else {value: value for value in options}
    asked, written = st.query_params.get(param), st.session_state.get(f"{_LINK_SEEN}_{param}")
    if asked is not None and asked != written and asked in codes:
        st.session_state[state_key] = codes[asked]
    code = next((c for c, value in codes.items() if value == st.session_state.get(state_key)), None)
    if code is not None:
        st.query_params[param] = code
        st.session_state[f"{_LINK_SEEN}_{param}"] = code


def go_to(page: StreamlitPage) -> None:
    """The home address (/) opens ``page`` at its own address (/tong-quan), keeping the link's choice."""
    st.switch_page(page, query_params=st.query_params.to_dict())


def write_link() -> None:
    """Put the current choice in the address, so that a copied link or F5 shows the same view."""
    wanted = {
        "dia_phuong": st.session_state["locality_id"],
        "thang": st.session_state["period"],
        "trinh_chieu": "1" if presenting() else None,
    }
    for name, value in wanted.items():
        if value is None:
            if name in st.query_params:
                del st.query_params[name]
        elif st.query_params.get(name) != value:
            st.query_params[name] = value
    st.session_state[_LINK_SEEN] = {name: st.query_params.get(name) for name in LINK_PARAMS}


def selected_period() -> Period:
    """The month chosen in the shared picker (set by ``init_state`` on every run of the app)."""
    return Period.parse(st.session_state["period"])


def presenting() -> bool:
    return bool(st.session_state.get("presentation", False))


def period_options(catalog: Catalog, latest: Period | None, today: dt.date) -> list[str]:
    """Months from January of the earliest plan to this month (or the latest data), newest first."""
    first = Period(min(p.start_year for p in catalog.plans.values()), 1)
    last = max(Period.of(today), latest or Period.of(today))
    return [str(p) for p in reversed(month_range(min(first, last), last))]


def _copy(source: str, target: str) -> None:
    st.session_state[target] = st.session_state[source]


def bind(state_key: str, widget_key: str) -> dict:
    """Widget kwargs that show ``state_key`` and write changes back to it."""
    st.session_state[widget_key] = st.session_state[state_key]
    return {"key": widget_key, "on_change": _copy, "args": (widget_key, state_key)}


def locality_picker(where: st.delta_generator.DeltaGenerator | None = None) -> str:
    """The shared locality selectbox; returns the chosen locality id."""
    catalog = data.catalog()
    names = {pid: catalog.plans[pid].name for pid in visible_ids(catalog)}
    (where or st).selectbox(
        "Địa phương",
        list(names),
        format_func=names.__getitem__,
        placeholder=PICK,
        **bind("locality_id", "pick_locality"),
    )
    return st.session_state["locality_id"]


def localities_picker(
    label: str, placeholder: str, where: st.delta_generator.DeltaGenerator | None = None, **widget: object
) -> list[str]:
    """A multiselect of every locality by name; returns the chosen ids (``widget``: its key or
    ``bind(…)``, help)."""
    names = {pid: plan.name for pid, plan in data.catalog().plans.items()}
    return (where or st).multiselect(
        label, list(names), format_func=names.__getitem__, placeholder=placeholder, **widget
    )


def period_picker(where: st.delta_generator.DeltaGenerator | None = None) -> Period:
    """The shared month selectbox; returns the chosen month."""
    options = period_options(data.catalog(), data.latest_period(), clock.today())
    if st.session_state["period"] not in options:
        st.session_state["period"] = options[0]
    (where or st).selectbox(
        "Tháng báo cáo",
        options,
        format_func=lambda p: Period.parse(p).label,
        placeholder=PICK,
        **bind("period", "pick_period"),
    )
    return Period.parse(st.session_state["period"])


def presentation_toggle(where: st.delta_generator.DeltaGenerator | None = None) -> None:
    (where or st).toggle(
        "Chế độ trình chiếu",
        help="Chữ to, ẩn thanh bên, mỗi màn hình một chủ đề",
        **bind("presentation", "pick_presentation"),
    )


def sample_notice(ids: Sequence[str], period: Period) -> None:
    """Say that what is shown is sample data, while sample sheets count in it (:func:`ui.data.sample_shown`)."""
    if data.sample_shown(ids, period):
        st.warning(
            "**Đang xem DỮ LIỆU MẪU** — không phải số liệu thật của địa phương. Quản trị viên xóa dữ liệu mẫu "
            "ở trang Nộp báo cáo tháng.",
            icon=":material/science:",
        )


def header(
    title: str, caption: str | None = None, period: bool = True, sample: bool = True
) -> tuple[str, Period | None]:
    """Page title and, right under it, the shared pickers and the presentation toggle (in the page,
    not the sidebar, so that they are at hand on a phone and on a projector); then the sample-data
    notice for the locality and month shown (``sample``: pages that show other localities say it
    themselves, :func:`sample_notice`).

    Returns (locality id, month or None when ``period`` is False).
    """
    viewport.watch()
    if presenting():
        st.markdown(f"## {title}")
    else:
        st.title(title)
    cols = st.columns([3, 2, 2] if period else [3, 2], vertical_alignment="bottom")
    locality = locality_picker(cols[0])
    month = period_picker(cols[1]) if period else None
    presentation_toggle(cols[-1])
    if month is not None and sample:
        sample_notice([locality], month)
    if caption:
        st.caption(caption)
    for notice in st.session_state.pop("link_notices", []):
        st.warning(notice, icon=":material/link_off:")
    write_link()
    return locality, month


COMPARED_AT_FIRST = 8
"""How many localities the comparison shows before anyone chooses (all five of today's plans)."""


def compared(ids: Sequence[str], locality_id: str, chosen: Sequence[str] | None, added_for: str | None) -> list[str]:
    """The localities to compare: those chosen before (``None``: the first :data:`COMPARED_AT_FIRST`
    of ``ids``), with ``locality_id`` — the one the page header, or a link's ``dia_phuong``, shows —
    put in front when it is not among them and has not been put there before (``added_for``: the
    locality it was last added for; one taken out again by hand stays out until another is shown)."""
    picked = [lid for lid in (chosen if chosen is not None else ids[:COMPARED_AT_FIRST]) if lid in ids]
    if locality_id in ids and locality_id not in picked and locality_id != added_for:
        picked.insert(0, locality_id)
    return picked


def compare_choice(ids: Sequence[str], locality_id: str) -> None:
    """Keep the comparison's choice (``compare_ids``) in step with the locality shown (:func:`compared`)."""
    st.session_state["compare_ids"] = compared(
        ids, locality_id, st.session_state.get("compare_ids"), st.session_state.get("compare_added_for")
    )
    st.session_state["compare_added_for"] = locality_id


def step(options: Sequence[str], state_key: str, offset: int) -> None:
    """Move ``state_key`` to the next (or previous) option, wrapping around."""
    current = st.session_state.get(state_key)
    index = options.index(current) if current in options else (-1 if offset > 0 else 0)
    st.session_state[state_key] = options[(index + offset) % len(options)]


def stepper(options: Sequence[str], state_key: str, label: Callable[[str], str], key: str) -> None:
    """ "◀ Trước" / "Tiếp theo ▶" buttons that walk ``state_key`` through ``options``."""
    back, where, forward = st.columns([1, 4, 1])
    back.button("◀ Trước", key=f"{key}_back", on_click=step, args=(list(options), state_key, -1), width="stretch")
    forward.button(
        "Tiếp theo ▶",
        key=f"{key}_next",
        on_click=step,
        args=(list(options), state_key, 1),
        width="stretch",
        type="primary",
    )
    current = st.session_state.get(state_key)
    position = list(options).index(current) + 1 if current in options else 0
    where.markdown(
        f"<div style='text-align:center'><b>{label(current)}</b> ({position}/{len(options)})</div>",
        unsafe_allow_html=True,
    )


def empty_state(stop: bool = True) -> bool:
    """When nothing has been uploaded yet, explain how to start; stop the page if ``stop``.

    Returns True when there is data.
    """
    if data.has_data():
        return True
    st.info(
        "**Chưa có số liệu nào được nạp.** Để bắt đầu:\n\n"
        "1. Vào trang **Nộp báo cáo tháng**, tải phiếu báo cáo của từng đơn vị, điền số liệu rồi tải lên; hoặc\n"
        "2. Nạp dữ liệu mẫu để xem thử: nút **Nạp dữ liệu mẫu** trên trang Nộp báo cáo tháng, "
        "hoặc lệnh `python -m loaders demo` trên máy chủ.",
        icon=":material/info:",
    )
    st.page_link(UPLOAD_PAGE, label="Mở trang Nộp báo cáo tháng", icon=":material/upload_file:")
    if stop:
        st.stop()
    return False
