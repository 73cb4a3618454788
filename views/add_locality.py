"""Thêm địa phương: upload a plan (a scan is OCR'd with a progress bar), review the importer's draft
(rows OCR read poorly marked first), fix rows, save (checked like the catalog)."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from loaders.plan_import import SUFFIXES, ExtractError, import_plan
from loaders.plan_import.ocr import summary as ocr_summary
from loaders.plan_import.save import save_draft
from plans.catalog import data_dir
from plans.localities import all_units
from ui import data, render, session
from ui import plan_review as review


def draft_table(title: str, frame: pd.DataFrame, key: str, columns: dict) -> pd.DataFrame:
    """One table of the draft under its heading, to correct by hand (rows may be added and deleted)."""
    st.subheader(title)
    return st.data_editor(frame, key=key, num_rows="dynamic", hide_index=True, width="stretch", column_config=columns)


st.title("Thêm địa phương")
st.caption(
    "Tải lên kế hoạch của xã/phường (.docx, .txt, .md, PDF có chữ hoặc PDF bản quét — bản quét được nhận "
    "dạng chữ từng trang). Phần mềm đọc và đề xuất chỉ tiêu (cả bảng chỉ tiêu ở phụ lục), nhiệm vụ, đơn vị; hãy "
    "rà soát từng dòng (cột “Nguồn” là câu trong kế hoạch, “Dòng trong bảng” là dòng của bảng chỉ tiêu), xem "
    "trước các dòng có dấu ⚠ (nhận dạng chữ chưa chắc), sửa hoặc xóa dòng sai, chọn đại lượng cho chỉ tiêu "
    "chưa ghép được, rồi bấm **Lưu kế hoạch**."
)
upload = st.file_uploader("Kế hoạch", type=[s.lstrip(".") for s in SUFFIXES], key="plan_upload")
name = st.text_input(
    "Tên địa phương (nếu kế hoạch viết khác tên chính thức)", key="plan_name", placeholder="ví dụ: Xã Kẻ Sặt"
)
if upload is None:
    st.info("Chưa có kế hoạch nào được tải lên.")
    st.stop()
content = upload.getvalue()
key = hashlib.sha256(content + name.encode()).hexdigest()
if st.session_state.get("plan_draft_key") != key:
    progress = st.empty()
    try:
        draft = import_plan(
            content,
            upload.name,
            data_dir() / "measures.yaml",
            name or None,
            progress=lambda done, total: progress.progress(
                done / total, text=f"Nhận dạng chữ (OCR) bản quét: trang {done}/{total}…"
            ),
        )
    except ExtractError as err:
        progress.empty()
        st.error(str(err))
        st.stop()
    progress.empty()
    st.session_state.update(
        plan_draft_key=key, plan_draft=draft.doc, plan_unplaced=draft.unplaced, plan_ocr_seconds=draft.ocr_seconds
    )
doc = st.session_state["plan_draft"]
units = {u.code: u for u in all_units()}
codes = list(units)
ward = st.selectbox(
    "Địa phương (danh sách chính thức của cả nước, Hải Phòng trước)",
    codes,
    index=codes.index(doc["ward_code"]) if doc["ward_code"] in units else None,
    format_func=lambda c: units[c].label,
    key="plan_ward",
    placeholder="Chọn địa phương",
)
if ward is not None and ward != doc["ward_code"]:
    doc = st.session_state["plan_draft"] = review.set_locality(doc, ward)
meta = doc["plan"]
st.markdown(
    f"**{render.plain(meta['title'] or '')}** — số {render.plain(meta['number'] or '…')}, "
    f"{render.plain(meta['date_text'] or 'chưa rõ ngày')}; người ký: {render.plain(meta['signer'] or '?')} "
    f"({render.plain(meta['signer_title'] or '?')}); thời kỳ {meta['start_year']}–{meta['end_year']}; "
    f"mã địa phương `{doc['id']}`."
)
cols = st.columns(5)
for col, (label, count) in zip(
    cols,
    (
        ("Chỉ tiêu", len(doc["indicators"])),
        ("Nhiệm vụ", len(doc["tasks"])),
        ("Đơn vị", len(doc["units"])),
        ("Giai đoạn", len(doc["phases"])),
        ("Hạn báo cáo", len(doc["report_deadlines"])),
    ),
):
    col.metric(label, count)
if st.session_state["plan_unplaced"]:
    with st.expander(f"Chưa xếp được ({len(st.session_state['plan_unplaced'])})"):
        st.markdown("\n".join(f"- {render.plain(line)}" for line in st.session_state["plan_unplaced"]))
if st.session_state["plan_ocr_seconds"]:
    st.info(ocr_summary(doc, st.session_state["plan_ocr_seconds"]))
measures = review.measure_options(list(data.catalog().measures), doc)
unit_codes = [u["code"] for u in doc["units"]]
indicators = draft_table(
    "Chỉ tiêu",
    review.indicator_frame(doc),
    "plan_indicators",
    {
        "So sánh": st.column_config.SelectboxColumn(options=review.COMPARATOR_OPTIONS, required=True),
        "Đại lượng": st.column_config.SelectboxColumn(options=measures, required=True),
        "Đơn vị": st.column_config.SelectboxColumn(options=unit_codes, required=True),
        "Độ tin cậy": st.column_config.NumberColumn(disabled=True, format="%.2f"),
        review.CHECK: st.column_config.TextColumn(disabled=True, width="small"),
        "Nhận dạng chữ": st.column_config.NumberColumn(disabled=True, format="%.2f"),
        "Dòng trong bảng": st.column_config.TextColumn(disabled=True, width="medium"),
        "Nguồn (câu trong kế hoạch)": st.column_config.TextColumn(disabled=True, width="large"),
        "Hằng năm": st.column_config.CheckboxColumn(),
    },
)
tasks = draft_table(
    "Nhiệm vụ",
    review.task_frame(doc),
    "plan_tasks",
    {"Nguồn (câu trong kế hoạch)": st.column_config.TextColumn(disabled=True)},
)
unit_rows = draft_table(
    "Đơn vị", review.unit_frame(doc), "plan_units", {"Nguồn": st.column_config.TextColumn(disabled=True)}
)
overwrite = st.checkbox("Ghi đè nếu địa phương này đã có kế hoạch", key="plan_overwrite")
if st.button("Lưu kế hoạch", type="primary", key="plan_save"):
    edited = review.apply_edits(doc, indicators, tasks, unit_rows)
    problems = save_draft(edited, data_dir(), content, upload.name, overwrite)
    if problems:
        st.error("Chưa lưu được, cần sửa:\n\n" + "\n".join(f"- {render.plain(p)}" for p in problems))
    else:
        data.plan_added(st.session_state["account"], edited, upload.name, content, session.client_address())
        data.plans_changed()
        st.session_state["locality_id"] = edited["id"]
        st.success(
            f"Đã lưu kế hoạch của {render.plain(', '.join(edited['aliases'][:1]))} "
            f"(plans/{edited['id']}.yaml); địa phương đã có trên mọi trang."
        )
