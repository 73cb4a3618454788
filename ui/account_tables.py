"""What the accounts page shows: the list of accounts, and the hand-out of one-time passwords (.xlsx)."""

from __future__ import annotations

import io

import pandas as pd
import xlsxwriter

from plans.model import Catalog
from plans.text import fmt_datetime
from store.account_admin import Created
from store.accounts import ROLE_LABELS
from ui.account_data import AccountRow

HANDOUT_COLUMNS = ("Địa phương", "Tên đăng nhập", "Mật khẩu dùng một lần", "Ghi chú")


def _place(catalog: Catalog, locality_id: str | None) -> str:
    if locality_id is None:
        return "Mọi địa phương"
    return catalog.plans[locality_id].name if locality_id in catalog.plans else locality_id


def accounts_frame(rows: list[AccountRow], catalog: Catalog) -> pd.DataFrame:
    """One line per account: name, role, locality, latest sign-in, state."""
    return pd.DataFrame(
        [
            {
                "Tên đăng nhập": row.account.username,
                "Vai trò": ROLE_LABELS[row.account.role],
                "Địa phương": _place(catalog, row.account.locality_id),
                "Đăng nhập gần nhất": fmt_datetime(row.last_sign_in) if row.last_sign_in else "chưa đăng nhập",
                "Trạng thái": "Đã khóa"
                if row.account.disabled
                else ("Chờ đổi mật khẩu dùng một lần" if row.account.must_change else "Đang dùng"),
            }
            for row in rows
        ],
        columns=["Tên đăng nhập", "Vai trò", "Địa phương", "Đăng nhập gần nhất", "Trạng thái"],
    )


def handout_frame(created: list[Created], catalog: Catalog) -> pd.DataFrame:
    """The accounts just made, with their one-time passwords, to hand out."""
    return pd.DataFrame(
        [(_place(catalog, c.locality_id), c.username, c.password or "—", c.note) for c in created],
        columns=list(HANDOUT_COLUMNS),
    )


def handout_xlsx(created: list[Created], catalog: Catalog, made_at: str) -> bytes:
    """The hand-out as a workbook: one line per locality, every cell text (a password is never a number
    or a formula), a title saying when it was made and that each password works once."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False})
    sheet = book.add_worksheet("Tài khoản")
    title = book.add_format({"bold": True, "font_size": 13})
    head = book.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1, "text_wrap": True})
    cell = book.add_format({"border": 1, "text_wrap": True, "num_format": "@"})
    sheet.write_string(0, 0, f"Tài khoản Phòng Văn hóa - Xã hội — tạo lúc {made_at}", title)
    sheet.write_string(
        1,
        0,
        "Mỗi mật khẩu chỉ dùng được một lần: ở lần đăng nhập đầu, phần mềm yêu cầu đặt mật "
        "khẩu mới. Giao tận tay từng người, không gửi cả danh sách.",
    )
    for column, (name, width) in enumerate(zip(HANDOUT_COLUMNS, (28, 24, 22, 34))):
        sheet.write_string(3, column, name, head)
        sheet.set_column(column, column, width)
    for row, line in enumerate(handout_frame(created, catalog).itertuples(index=False), start=4):
        for column, value in enumerate(line):
            sheet.write_string(row, column, str(value), cell)
    book.close()
    return buffer.getvalue()
