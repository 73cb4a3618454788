"""Báo cáo: the 6-month / annual report of a locality or the city, previewed, downloaded as
.docx and .xlsx (PDF when LibreOffice is installed), with the editable Word template."""

from __future__ import annotations

import streamlit as st

from plans import clock
from plans.text import fmt_datetime
from reports.body import Notes
from reports.build import CITY, BuiltReport, month_problem, write
from reports.kinds import KIND_LABELS, KINDS, default_kind
from reports.pdf import soffice, to_pdf
from reports.template import TAGS, default_template
from reports.template_check import check_template
from store.report_templates import may_change_template
from ui import controls, data, render, report_preview, session

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ONE, WHOLE = "Một địa phương", "Cả thành phố (so sánh các địa phương)"

catalog = data.catalog()
account = st.session_state["account"]
locality_id, period = controls.header(
    "Báo cáo",
    "Báo cáo tháng, 6 tháng, năm, sơ kết, tổng kết theo thể thức Nghị định 30/2020/NĐ-CP, kèm phụ lục Excel.",
    sample=False,
)
controls.empty_state()
left, right = st.columns(2)
scope = left.radio(
    "Phạm vi",
    [ONE, WHOLE],
    key="report_scope",
    horizontal=True,
    help="Một địa phương: địa phương chọn ở thanh bên. Cả thành phố: xếp hạng và so sánh.",
)
kind = right.selectbox(
    "Loại báo cáo",
    KINDS,
    placeholder=controls.PICK,
    index=KINDS.index(default_kind(period)),
    format_func=KIND_LABELS.__getitem__,
    key=f"report_kind_{period}",
)
target = CITY if scope == WHOLE else locality_id
controls.sample_notice(list(catalog.plans) if target == CITY else [locality_id], period)
name = "cả thành phố" if target == CITY else catalog.plan(target).name
problem = month_problem(catalog, target, period, clock.today())
if problem:
    st.warning(
        f"Không lập báo cáo cho {period.label.lower()}: {problem} Hãy chọn tháng khác ở đầu trang.",
        icon=":material/event_busy:",
    )
    st.stop()
with st.expander("Phần Phòng Văn hóa - Xã hội viết thêm (để trống thì không in)"):
    key = f"{target}_{period}_{kind}"
    notes = Notes(
        chi_dao=st.text_area(
            "Công tác chỉ đạo, điều hành trong kỳ (văn bản đã ban hành, kiểm tra, tuyên truyền)",
            key=f"note_chi_dao_{key}",
            max_chars=4000,
        ),
        nguyen_nhan=st.text_area(
            "Nguyên nhân của tồn tại, hạn chế (khách quan, chủ quan)", key=f"note_nguyen_nhan_{key}", max_chars=4000
        ),
        kien_nghi=st.text_area("Kiến nghị, đề xuất (để trống: “Không.”)", key=f"note_kien_nghi_{key}", max_chars=4000),
    )
content = data.report_content(target, period, kind, notes)
stem = f"bao_cao_{kind}_{target}_{period}"


def files() -> BuiltReport:
    """The .docx and .xlsx, written when a download button is pressed."""
    return data.built_report(target, period, kind, notes)


def downloads() -> None:
    """The .docx, .xlsx and (with LibreOffice) PDF buttons."""
    cols = st.columns(3)
    cols[0].download_button(
        "Tải báo cáo (.docx)",
        lambda: files().docx,
        f"{stem}.docx",
        DOCX,
        icon=":material/description:",
        type="primary",
        key="download_docx",
    )
    cols[1].download_button(
        "Tải phụ lục (.xlsx)", lambda: files().xlsx, f"{stem}.xlsx", XLSX, icon=":material/table:", key="download_xlsx"
    )
    if not soffice():
        return
    if cols[2].button("Tạo bản PDF", icon=":material/picture_as_pdf:", key="make_pdf"):
        try:
            st.session_state["report_pdf"] = (stem, to_pdf(files().docx))
        except RuntimeError as err:
            st.error(str(err))
    if st.session_state.get("report_pdf", ("",))[0] == stem:
        cols[2].download_button(
            "Tải bản PDF", st.session_state["report_pdf"][1], f"{stem}.pdf", "application/pdf", key="download_pdf"
        )


st.subheader(f"Tải báo cáo — {name}, {period.label}")
refused = data.template_problems(target)
if refused:
    st.error(
        f"Mẫu báo cáo riêng của {name} không còn dùng được nên chưa lập được báo cáo; hãy nạp mẫu đã sửa hoặc "
        "bấm “Dùng lại mẫu mặc định” ở cuối trang:\n\n" + "\n".join(f"- {render.plain(p)}" for p in refused)
    )
else:
    downloads()
if not soffice():  # what to install is the server's operator's business, not a clerk's
    st.caption(
        "Máy chủ này chưa tạo được bản PDF: tải báo cáo (.docx), mở bằng Word rồi lưu hoặc in ra PDF."
        + (
            " Để có nút “Tạo bản PDF”, cài LibreOffice trên máy chủ (gói libreoffice-writer-nogui)."
            if account.is_admin
            else ""
        )
    )

st.subheader("Nội dung báo cáo")
report_preview.preview(content)

st.subheader("Mẫu báo cáo (Word)")
own, info = data.report_template(target)
st.markdown(
    f"Báo cáo của **{name}** đang dùng "
    + (
        f"mẫu riêng **{render.plain(info[0])}** (nạp {fmt_datetime(info[2])}"
        f"{', bởi ' + render.plain(info[1]) if info[1] else ''})."
        if info
        else "mẫu mặc định."
    )
)
st.download_button("Tải mẫu mặc định (.docx)", default_template(), "mau_bao_cao.docx", DOCX, key="download_template")
may_edit = may_change_template(account, target)
if own is not None:
    st.download_button("Tải mẫu đang dùng (.docx)", own, "mau_bao_cao_dang_dung.docx", DOCX, key="download_own")
    if may_edit and st.button("Dùng lại mẫu mặc định", key="template_reset"):
        data.use_report_template(target, None, "mặc định", account, session.client_address())
        st.rerun()
with st.expander("Cách sửa mẫu"):
    st.markdown(
        "Mở mẫu bằng Word, sửa câu chữ, giữ nguyên các thẻ trong ngoặc nhọn (gõ lại liền một lần nếu sửa). "
        "Các thẻ:\n\n" + "\n".join(f"- `{tag}`: {help_text}" for tag, help_text in TAGS.items())
    )
uploaded = st.file_uploader("Nạp mẫu đã sửa cho " + name, type=["docx"], key="template_upload") if may_edit else None
if uploaded is not None:
    upload = uploaded.getvalue()
    problems = check_template(upload, lambda template: write(content, template).docx)
    if problems:
        st.error(
            "Mẫu **"
            + render.plain(uploaded.name)
            + "** không dùng được:\n\n"
            + "\n".join(f"- {render.plain(p)}" for p in problems)
        )
    else:
        st.success(f"Mẫu {render.plain(uploaded.name)} hợp lệ: đã lập thử báo cáo {period.label} với mẫu này.")
        if st.button(f"Dùng mẫu này cho {name}", type="primary", key="template_use"):
            data.use_report_template(target, upload, uploaded.name, account, session.client_address())
            st.rerun()
