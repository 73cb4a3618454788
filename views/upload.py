"""Nộp báo cáo tháng: download a unit's sheet, upload filled sheets (checked before anything is
written, with every problem located and what a re-upload changes), and the completeness grid."""

from __future__ import annotations

from functools import partial

import streamlit as st

from loaders.demo import DemoError
from loaders.parsed_sheet import Expected
from loaders.template import template_bytes
from plans import settings
from plans import vocabulary as s
from plans.deadlines import DEFAULT_DUE_DAY
from plans.periods import Period, month_range
from plans.reporting import ALL_UNITS_NAME, reporting_units
from plans.vocabulary import ALL_UNITS, VILLAGE_UNIT
from ui import charts, controls, data, render, session, tables, viewport
from ui import upload_tables as ut

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

catalog = data.catalog()
account = st.session_state["account"]
locality_id, period = controls.header(
    "Nộp báo cáo tháng", "Phát phiếu cho từng đơn vị, nạp các phiếu đã điền, xem ngay phiếu nào thiếu hoặc sai."
)
plan = catalog.plan(locality_id)
large = controls.presenting()
st.session_state.setdefault("upload_round", 0)

if not data.has_data():
    st.info(
        "**Chưa có số liệu nào.** Tải phiếu ở mục 1, gửi các đơn vị điền rồi nạp ở mục 2 — hoặc nạp dữ liệu "
        "mẫu để xem thử mọi trang (các phiếu mẫu đi qua đúng đường nạp thật và được đánh dấu “dữ liệu mẫu”).",
        icon=":material/info:",
    )
    if account.is_admin and st.button("Nạp dữ liệu mẫu", icon=":material/dataset:", key="load_sample"):
        bar = st.progress(0.0, text="Đang tạo các phiếu mẫu cho mọi địa phương…")
        try:
            summary = data.load_sample_data(
                account,
                lambda done, total: bar.progress(done / max(total, 1), text=f"Đang nạp phiếu mẫu: {done}/{total}"),
                session.client_address(),
            )
        except DemoError as err:
            st.error(str(err))
        else:
            st.session_state.pop("period", None)
            st.session_state["upload_messages"] = [
                (
                    summary.accepted == summary.files,
                    f"Đã nạp {summary.accepted}/{summary.files} phiếu mẫu trong {summary.seconds:.0f} giây.",
                )
            ]
            st.rerun()
elif account.is_admin and data.sample_loaded():
    with st.expander("Dữ liệu mẫu", icon=":material/science:", expanded=st.session_state.get("remove_asked", False)):
        st.caption(
            "Cơ sở dữ liệu còn phiếu mẫu (nạp để xem thử). Xóa dữ liệu mẫu xóa mọi phiếu mẫu và những gì tính "
            "từ chúng; phiếu thật, tài khoản, tháng đã khóa và nhật ký giữ nguyên; việc xóa được ghi nhật ký."
        )
        if not st.session_state.get("remove_asked"):
            if st.button("Xóa dữ liệu mẫu…", icon=":material/delete:", key="remove_sample"):
                st.session_state["remove_asked"] = True
                st.rerun()
        else:
            st.warning("Xóa mọi phiếu mẫu? Không hoàn tác được (nạp lại dữ liệu mẫu chỉ được khi chưa có phiếu nào).")
            confirm, cancel = st.columns(2)
            if cancel.button("Không xóa", key="remove_cancel", width="stretch"):
                st.session_state.pop("remove_asked", None)
                st.rerun()
            if confirm.button("Xóa dữ liệu mẫu", type="primary", key="remove_confirm", width="stretch"):
                st.session_state.pop("remove_asked", None)
                removed = data.remove_sample_data(account, session.client_address())
                st.session_state.pop("period", None)
                st.session_state["upload_messages"] = [
                    (True, f"Đã xóa {removed.sheets} phiếu mẫu của {len(removed.localities)} địa phương.")
                ]
                st.rerun()

for ok, text in st.session_state.pop("upload_messages", []):
    (st.success if ok else st.error)(render.plain(text))

st.subheader("1. Tải phiếu báo cáo tháng")
units = [ALL_UNITS, *reporting_units(catalog, locality_id, period.year)]
left, right = st.columns(2)
unit = left.selectbox(
    "Đơn vị",
    units,
    key="template_unit",
    placeholder=controls.PICK,
    format_func=lambda u: ALL_UNITS_NAME if u == ALL_UNITS else plan.unit_name(u),
)
village = right.text_input("Tên thôn (để trống: thôn tự ghi)", key="template_village") if unit == VILLAGE_UNIT else ""
st.download_button(
    f"Tải phiếu {period.label} (.xlsx)",
    data=partial(template_bytes, catalog, locality_id, unit, period, village),
    file_name=f"phieu_{locality_id}_{unit}_{period}.xlsx",
    mime=XLSX,
    icon=":material/download:",
    key="template_download",
    on_click="ignore",
)
st.caption(
    "Phiếu đã in sẵn chỉ tiêu, mục tiêu và nhiệm vụ của đơn vị; ô cần điền được tô màu, có danh sách chọn "
    "Có/Không và tình trạng nhiệm vụ. Đổi tháng ở ô “Tháng báo cáo”."
)

st.subheader("2. Nạp các phiếu đã điền")
closed = data.month_closure(locality_id, period)
if closed is not None:
    st.warning(
        closed.message()
        + (
            " Mở lại ở trang Nhật ký."
            if account.is_admin
            else " Phiếu của các tháng khác vẫn nạp được (bỏ chọn ô “Chỉ nhận phiếu …” bên dưới)."
        ),
        icon=":material/lock:",
    )
if not account.can_write(locality_id):
    own = catalog.plan(account.home).name if account.home in catalog.plans else "địa phương của mình"
    st.info(
        f"Tài khoản {render.plain(account.username)} nạp phiếu cho {own}; phiếu của {plan.name} do Phòng Văn hóa - "
        f"Xã hội của {plan.name} (hoặc quản trị viên) nạp. Ở đây chỉ xem được tình hình nộp phiếu của {plan.name}.",
        icon=":material/visibility:",
    )
left, right = st.columns(2)
only_here = left.checkbox(f"Chỉ nhận phiếu của {plan.name}", value=True, key="upload_only_here")
only_month = right.checkbox(
    f"Chỉ nhận phiếu {period.label}",
    value=True,
    key="upload_only_month",
    help="Phiếu của tháng khác bị từ chối (tránh nạp nhầm phiếu tháng trước). "
    "Đổi tháng ở ô “Tháng báo cáo”, hoặc bỏ chọn để nạp phiếu của nhiều tháng.",
)
expected = Expected(locality_id if only_here else None, None, str(period) if only_month else None)
st.text(f"Người nạp: {account.username} (tài khoản đang đăng nhập, ghi vào lịch sử nộp phiếu và nhật ký)")
uploaded = st.file_uploader(
    "Chọn một hoặc nhiều tệp phiếu đã điền (.xlsx)",
    accept_multiple_files=True,
    key=f"upload_files_{st.session_state['upload_round']}",
    help="Chỉ nhận tệp Excel .xlsx theo mẫu phiếu; tệp khác (.xls, .csv, .pdf…) được "
    f"kiểm tra và từ chối kèm lý do. Tối đa {settings.integer('DMST_MAX_UPLOAD_MB')} MB "
    "một tệp.",
)
if uploaded:
    st.session_state.pop("upload_outcome", None)
    files = tuple((f.name, f.getvalue()) for f in uploaded)
    checked = data.check(files, expected, account)
    data.journal_refused(checked, account, session.client_address())
    st.markdown("**Kết quả kiểm tra** (chưa ghi gì vào cơ sở dữ liệu)")
    render.table(ut.file_table(checked), wrap=True)
    for line in ut.advice(checked, plan.name, period.label, account):
        st.warning(line, icon=":material/lightbulb:")
    problems = ut.problem_table(checked)
    if not problems.empty:
        st.markdown(f"**Các lỗi và cảnh báo** ({len(problems)}, lỗi trước)")
        render.table(problems, wrap=True)
    for result in checked:
        if result.accepted and result.changes:
            with st.expander(
                f"{render.plain(result.file_name)}: {len(result.changes)} giá trị thay đổi so với phiếu đang dùng",
                expanded=True,
            ):
                render.table(ut.change_table(result))
    set_aside: set[str] = set()
    undecided = False
    for index, (label, names) in enumerate(ut.same_sheet_groups(checked).items()):
        st.warning(
            f"**{len(names)} tệp khác nhau cho cùng một phiếu** ({label}): {', '.join(names)}. Chỉ một tệp "
            f"được dùng; tệp nạp sau sẽ thay tệp nạp trước. Hãy chọn tệp đúng.",
            icon=":material/warning:",
        )
        keep = st.radio(f"Tệp sẽ nạp cho {label}", names, index=None, key=f"upload_keep_{index}")
        undecided = undecided or keep is None
        set_aside |= {name for name in names if keep is not None and name != keep}
    ready = [r.file_name for r in checked if r.accepted and not r.duplicate and r.file_name not in set_aside]
    if ready:
        if st.button(
            f"Xác nhận nạp {len(ready)} phiếu hợp lệ",
            type="primary",
            icon=":material/check:",
            key="upload_confirm",
            disabled=undecided,
            help="Hãy chọn tệp sẽ nạp cho mỗi phiếu có hai tệp ở trên." if undecided else None,
        ):
            stored = data.ingest(tuple(f for f in files if f[0] in ready), expected, account, session.client_address())
            st.session_state["upload_outcome"] = ut.outcome_table(checked, stored, set_aside)
            st.session_state["upload_messages"] = [(r.accepted, r.summary()) for r in stored]
            st.session_state["upload_round"] += 1
            st.rerun()
    elif not any(r.accepted for r in checked):
        st.error("Không có phiếu nào để nạp: xem cách xử lý từng tệp ở trên.", icon=":material/block:")
    else:
        st.info("Không có phiếu nào mới để nạp: các tệp này đã được nạp trước đây.", icon=":material/info:")
outcome = st.session_state.get("upload_outcome")
if outcome is not None:
    st.markdown("**Kết quả lần nạp vừa rồi** (mọi tệp đã chọn; giữ đến lần nạp sau)")
    render.table(outcome, wrap=True)

st.subheader("3. Tình hình nộp phiếu")
months = month_range(Period(plan.start_year, 1), period)[-12:]
log = data.submission_log(locality_id)
state, hover = tables.completeness_grid(catalog, plan, log, months)
width = viewport.chart_width()
shown = charts.recent_columns(state, width, large, 26)
render.chart(
    charts.status_heatmap(
        state.iloc[:, -shown:],
        hover.iloc[:, -shown:],
        s.SUBMISSION_STATUSES,
        f"Phiếu báo cáo theo đơn vị và tháng — {plan.name}, đến {period.label}",
        large,
        width=width,
        label_chars=26,
    ),
    f"nop-phieu-{locality_id}-{period}",
)
if shown < len(months):
    st.caption(
        f"Màn hình hẹp: hiện {shown} tháng gần nhất; xoay ngang điện thoại hoặc mở trên máy tính để xem "
        f"{len(months)} tháng."
    )
st.caption(f"Đúng hạn: nộp lần đầu trước hết ngày {DEFAULT_DUE_DAY} tháng sau; nộp lại giữ thời điểm nộp lần đầu.")

st.subheader("4. Lịch sử nộp phiếu")
history = ut.history_table(log, plan)
if history.empty:
    st.info(f"{plan.name} chưa có phiếu nào được nạp.")
else:
    st.caption("Mọi phiếu đã nạp đều được giữ nguyên bản; nộp lại chỉ thay số liệu đang dùng, không xóa phiếu cũ.")
    render.table(history, height=min(420, 38 + 35 * len(history)), key="upload_history")
    originals = ut.original_files(log, plan)
    chosen = st.selectbox(
        "Tải lại tệp gốc của phiếu",
        list(originals),
        key="history_pick",
        placeholder=controls.PICK,
        format_func=lambda n: f"Phiếu số {n} – {originals[n][0]}",
    )
    name, sha = originals[chosen]
    st.download_button(
        "Tải tệp gốc",
        data=partial(data.original_file, sha, locality_id, account),
        file_name=render.safe_file_name(name, f"phieu_{chosen}.xlsx"),
        mime=XLSX,
        icon=":material/download:",
        key="history_download",
        on_click="ignore",
    )
