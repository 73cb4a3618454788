"""The app's pages, declared once: script, title, icon, address, and who finds them in the menu.

``app.py`` builds ``st.navigation`` from :data:`PAGES`; ``ui/web.py`` knows from :func:`page_paths`
which addresses are pages (any other one-segment address gets the Vietnamese "Không tìm thấy trang").
Every page is registered for every account, so a shared link never meets Streamlit's own "page not
found"; a page that is not for the signed-in role is hidden from its menu and, opened by its address,
says whose page it is (:func:`refusal`).
"""

from __future__ import annotations

from dataclasses import dataclass

from store.accounts import ADMIN, OFFICE, ROLES, VIEWER, Account

HOME = "tong-quan"


@dataclass(frozen=True)
class PageSpec:
    """One page: its script in ``views/``, menu title and icon, address, and the roles it is for."""

    script: str
    title: str
    icon: str
    url_path: str
    roles: tuple[str, ...] = ROLES


PAGES: tuple[PageSpec, ...] = (
    PageSpec("views/overview.py", "Tổng quan", ":material/dashboard:", HOME),
    PageSpec("views/compare.py", "So sánh địa phương", ":material/compare_arrows:", "so-sanh"),
    PageSpec("views/phases.py", "Tiến độ theo giai đoạn", ":material/timeline:", "giai-doan"),
    PageSpec("views/groups.py", "Nhóm chỉ tiêu", ":material/category:", "nhom-chi-tieu"),
    PageSpec("views/tasks.py", "Nhiệm vụ", ":material/task_alt:", "nhiem-vu"),
    PageSpec("views/reports.py", "Báo cáo", ":material/summarize:", "bao-cao"),
    PageSpec("views/upload.py", "Nộp báo cáo tháng", ":material/upload_file:", "nop-bao-cao", (ADMIN, OFFICE)),
    PageSpec("views/catalog.py", "Danh mục chỉ tiêu", ":material/menu_book:", "danh-muc"),
    PageSpec("views/journal.py", "Nhật ký", ":material/history:", "nhat-ky", (ADMIN, OFFICE)),
    PageSpec("views/add_locality.py", "Thêm địa phương", ":material/add_location_alt:", "them-dia-phuong", (ADMIN,)),
    PageSpec("views/accounts.py", "Tài khoản", ":material/manage_accounts:", "tai-khoan", (ADMIN,)),
)
ROLE_NAMES = {ADMIN: "quản trị viên", OFFICE: "Phòng Văn hóa - Xã hội", VIEWER: "lãnh đạo (chỉ xem)"}


def page_paths() -> set[str]:
    """Every address that is a page ("" and "trang-chu" open Tổng quan)."""
    return {"", "trang-chu", *(page.url_path for page in PAGES)}


def spec_of(url_path: str) -> PageSpec | None:
    return next((page for page in PAGES if page.url_path == url_path), None)


def refusal(url_path: str, account: Account) -> str | None:
    """Why ``account`` may not open the page at ``url_path`` (Vietnamese), or ``None`` when it may."""
    page = spec_of(url_path)
    if page is None or account.role in page.roles:
        return None
    whose = ", ".join(ROLE_NAMES[role] for role in page.roles)
    return (
        f"Trang “{page.title}” chỉ dành cho tài khoản {whose}; tài khoản {account.username} "
        f"({ROLE_NAMES[account.role]}) không mở được trang này."
    )
