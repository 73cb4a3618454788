"""The report on screen before download: the same blocks the .docx is written from, every text shown
as plain text (plan titles and the office's own paragraphs are typed by people)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from plans.text import fmt_date
from reports.blocks import Block, Bullet, Chart, Heading, Para, Table, cell_text
from reports.content import ReportContent
from reports.template import SECTIONS
from ui.render import plain


def table_frame(table: Table) -> pd.DataFrame:
    """A table's cells as the document shows them (columns of the .docx only)."""
    columns = [c for c in table.columns if c.width > 0]
    return pd.DataFrame(
        [[cell_text(c, row) for c in columns] for row in table.rows], columns=[c.header for c in columns]
    )


def blocks(items: list[Block]) -> None:
    for block in items:
        text = plain(block.text) if isinstance(block, (Heading, Para, Bullet)) else ""
        if isinstance(block, Heading):
            st.markdown(f"**{text}**" if block.level <= 2 else f"***{text}***")
        elif isinstance(block, Para):
            st.markdown(text)
        elif isinstance(block, Bullet):
            st.markdown(f"- {text}")
        elif isinstance(block, Table):
            st.caption(block.title)
            st.dataframe(table_frame(block), hide_index=True, width="stretch")
        elif isinstance(block, Chart):
            st.image(block.png, caption=block.caption)


def preview(content: ReportContent) -> None:
    """Subject, opening, sections I–V, signature, appendices."""
    head = content.letterhead
    if content.sample:
        st.warning("Báo cáo dùng **DỮ LIỆU MẪU**: mỗi trang của tệp .docx in dòng “DỮ LIỆU MẪU”.")
    if content.window.provisional:
        st.info(f"Kỳ báo cáo chưa kết thúc: số liệu tạm tính đến hôm nay ({fmt_date(content.window.last)}).")
    st.markdown(f"#### BÁO CÁO\n**{plain(content.title_line)}**")
    st.caption(
        plain(
            f"{' '.join(head.parent)} · {' '.join(head.issuer)} · {head.number} · số liệu từ ngày "
            f"{fmt_date(content.window.first)} đến ngày {fmt_date(content.window.last)}"
        )
    )
    st.markdown(plain(content.intro))
    for key, title in SECTIONS.items():
        heading = title + (f" {content.next_heading.upper()}" if key == "phuong_huong" else "")
        with st.expander(heading, expanded=key == "ket_qua"):
            blocks(content.sections[key])
    st.markdown(
        f"*{plain(content.closing)}*  \nNgười ký: **{plain(' – '.join(head.signer_lines))}** "
        f"{plain(head.signer)}  \nNơi nhận: {plain(' '.join(head.recipients))}"
    )
    for appendix in content.appendices:
        with st.expander(f"{appendix.number}. {appendix.title.capitalize()}"):
            blocks(list(appendix.blocks))
