"""One place where errors become Vietnamese messages: users never see a traceback or a server path."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from plans.catalog import CatalogError
from store.errors import DB_ERRORS, StoreError, StoreLockedError, explain

log = logging.getLogger("dmst.ui")

GENERIC_MESSAGE = (
    "Đã có lỗi khi hiển thị trang này. Hãy tải lại trang hoặc chọn địa phương, tháng khác; "
    "nếu lỗi lặp lại, xin báo cho bộ phận kỹ thuật (chi tiết lỗi đã được ghi vào nhật ký của máy chủ)."
)


@contextmanager
def guard() -> Iterator[None]:
    """Run a page body; show an ``st.error`` in Vietnamese instead of a traceback.

    Streamlit's own control flow (``st.stop``, ``st.rerun``, ``st.switch_page``) raises
    ``BaseException`` subclasses and passes through untouched.
    """
    try:
        yield
    except StoreLockedError as err:
        log.warning("store locked: %s", err)
        st.error(err.public)
    except StoreError as err:
        log.error("store failed: %s", err)
        st.error(err.public)
    except CatalogError as err:
        log.error("catalog invalid: %s", err)
        st.error(
            "Tệp dữ liệu kế hoạch (thư mục data/) có lỗi, cần sửa trước khi dùng:\n\n"
            + "\n".join(f"- {p}" for p in err.problems)
        )
    except (*DB_ERRORS, OSError) as err:
        log.exception("store failed")
        st.error(explain(err))
    except Exception:
        log.exception("page failed")
        st.error(GENERIC_MESSAGE)
