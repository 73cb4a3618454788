"""Every ``DMST_*`` setting of the app and the command lines, declared once: name, default, meaning.

Code reads a setting with :func:`number` or :func:`text` (never ``os.environ`` directly), so the
defaults live here only; the README's settings table is checked against :data:`SETTINGS` by
``tests/test_settings.py``. A value that cannot be read (``DMST_WRITE_WAIT=abc``) falls back to the
default rather than stopping the app, and a number is clamped to the setting's least value.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    """One environment variable: its default (as it would be written) and what it means (Vietnamese)."""

    name: str
    default: str
    meaning: str
    least: float | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DMST_DB",
        "data/dmst.duckdb",
        "cơ sở dữ liệu của ứng dụng và các dòng lệnh: một tệp DuckDB, hoặc địa "
        "chỉ PostgreSQL postgresql://người_dùng@máy/tên_cơ_sở_dữ_liệu (nhiều máy chủ ứng dụng dùng chung)",
    ),
    Setting(
        "DMST_PG_CONNECTIONS",
        "10",
        "số kết nối PostgreSQL nhiều nhất của một tiến trình (ứng dụng, dòng lệnh)",
        least=1,
    ),
    Setting("DMST_DATA", "data", "thư mục kế hoạch (plans/, measures.yaml, frameworks/)"),
    Setting("DMST_ADDRESS", "127.0.0.1", "địa chỉ ứng dụng nghe (scripts/run.sh); 0.0.0.0 là mọi giao diện mạng"),
    Setting("DMST_PORT", "8501", "cổng ứng dụng nghe (scripts/run.sh; với scripts/serve_cluster.sh: cổng của nginx)"),
    Setting(
        "DMST_APP_PORT",
        "8511",
        "cổng của tiến trình ứng dụng đầu tiên sau nginx (scripts/serve_cluster.sh; các tiến trình sau: 8512, 8513…)",
    ),
    Setting("DMST_IDLE_MINUTES", "30", "phiên không dùng quá số phút này thì tự đăng xuất", least=1),
    Setting("DMST_SESSION_HOURS", "12", "phiên đăng nhập dài nhất (giờ), dù vẫn đang dùng", least=1),
    Setting("DMST_WRITE_WAIT", "120", "số giây một lần ghi chờ lượt trước khi báo bận (mã thoát 3)", least=0),
    Setting("DMST_AUTO_CLOSE_DAYS", "60", "số ngày sau hạn nộp phiếu thì tháng tự khóa; 0 là không tự khóa", least=0),
    Setting("DMST_BACKUP_DIR", "data/backups", "thư mục sao lưu hằng ngày (mặc định backups/ cạnh cơ sở dữ liệu)"),
    Setting("DMST_BACKUP_KEEP", "14", "số bản sao lưu hằng ngày được giữ; 0 là tắt sao lưu hằng ngày", least=0),
    Setting("DMST_MAX_UPLOAD_MB", "20", "cỡ tối đa của một tệp tải lên (phiếu, mẫu báo cáo, kế hoạch), MB", least=1),
    Setting(
        "DMST_TRUSTED_PROXIES",
        "",
        "địa chỉ các reverse proxy được tin (cách nhau bởi dấu phẩy); chỉ "
        "với yêu cầu đi qua chúng mới đọc địa chỉ người dùng từ X-Forwarded-For",
    ),
    Setting(
        "DMST_OCR_MAX_PAGES",
        "40",
        "số trang tối đa được nhận dạng chữ (OCR) trong một kế hoạch bản quét; "
        "bản quét dài hơn bị từ chối trước khi đọc",
        least=1,
    ),
    Setting(
        "DMST_OCR_MAX_SECONDS",
        "600",
        "số giây nhận dạng chữ một kế hoạch bản quét; hết giờ thì không đọc thêm trang mới (trang đầu luôn được đọc)",
        least=0,
    ),
)
_BY_NAME = {setting.name: setting for setting in SETTINGS}


def text(name: str) -> str:
    """The setting's value as text: the environment's when set and not blank, else the default."""
    value = os.environ.get(name, "").strip()
    return value or _BY_NAME[name].default


def is_set(name: str) -> bool:
    """True when the environment gives the setting a (non-blank) value."""
    return bool(os.environ.get(name, "").strip())


def number(name: str) -> float:
    """The setting as a number (the default when it is not a number), at least its least value."""
    setting = _BY_NAME[name]
    try:
        value = float(text(name))
    except ValueError:
        value = float(setting.default)
    return value if setting.least is None else max(setting.least, value)


def integer(name: str) -> int:
    """The setting as a whole number (see :func:`number`)."""
    return int(number(name))


def max_upload_bytes() -> int:
    """The largest file any upload accepts: ``$DMST_MAX_UPLOAD_MB`` megabytes (default 20)."""
    return integer("DMST_MAX_UPLOAD_MB") * 1024 * 1024


def listed(name: str) -> tuple[str, ...]:
    """A comma-separated setting as its items (blank items dropped)."""
    return tuple(item.strip() for item in text(name).split(",") if item.strip())
