"""The report on screen before download: the same blocks the .docx is written from."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from plans.text import fmt_date
from reports.blocks import Block, Bullet, Chart, Heading, Para, Table, cell_text
from reports.content import ReportContent
from ui.render import plain

SECTION_TITLES = {"I": "I. Kết quả thực hiện", "II": "II. Tồn tại, hạn chế và nguyên nhân",
                  "III": "III. Phương hướng, nhiệm vụ", "IV": "IV. Kiến nghị, đề xuất"}


def table_frame(table: Table) -> pd.DataFrame:
    """A table's cells as the document shows them (columns of the .docx only)."""
    columns = [c for c in table.columns if c.width > 0]
    return pd.DataFrame([[cell_text(c, row) for c in columns] for row in table.rows], columns=[c.header for c in columns])


def blocks(items: list[Block]) -> None:
    for block in items:
        text = plain(block.text) if isinstance(block, (Heading, Para, Bullet)) else ""
        if isinstance(block, Heading):
            st.markdown(f"**{text}**" if block.level <= 2 else f"***{text}***")
        elif isinstance(block, Para):
            st.markdown(f":orange-background[{text}]" if block.marked else text)
        elif isinstance(block, Bullet):
            st.markdown(f"- {text}")
        elif isinstance(block, Table):
            st.caption(block.title)
            st.dataframe(table_frame(block), hide_index=True, width="stretch")
        elif isinstance(block, Chart):
            st.image(block.png, caption=block.caption)


def preview(content: ReportContent) -> None:
    """Title, căn cứ, sections I–IV, appendices and the data sources."""
    head = content.letterhead
    if content.sample:
        st.warning("Báo cáo dùng **DỮ LIỆU MẪU**: mỗi trang của tệp .docx in dòng “DỮ LIỆU MẪU”.")
    st.markdown(f"#### BÁO CÁO\n**{plain(content.title_line)}**")
    st.caption(plain(f"{head.parent} · {' '.join(head.issuer)} · {head.number} · Kính gửi: {head.recipient} · "
                     f"số liệu đến ngày {fmt_date(content.cut_off)}"))
    for line in content.can_cu:
        st.markdown(plain(line))
    st.markdown(plain(content.intro))
    for key, items in content.sections.items():
        with st.expander(SECTION_TITLES[key] + (f" {content.next_heading}" if key == "III" else ""), expanded=key == "I"):
            blocks(items)
    st.markdown(f"*{plain(content.closing)}*  \nNgười ký: **{plain(' – '.join(head.signer_lines))}** "
                f"{plain(head.signer)}")
    for appendix in content.appendices:
        with st.expander(f"{appendix.number}. {appendix.title.capitalize()}"):
            st.dataframe(table_frame(appendix.table), hide_index=True, width="stretch")
    with st.expander("Nguồn số liệu: các phiếu báo cáo tháng đã dùng"):
        st.dataframe(table_frame(content.sources), hide_index=True, width="stretch")
