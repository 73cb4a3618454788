"""Exit status of the four command lines (``python -m loaders | store | scoring | reports``), given by
:func:`plans.cli.run`."""

from __future__ import annotations

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3
EXIT_CODES = (
    f"Mã thoát: {EXIT_OK} = xong (mọi tệp được nhận); {EXIT_REJECTED} = có tệp bị từ chối hoặc yêu cầu bị từ chối "
    "(không hợp lệ, không đủ quyền, bản sao hỏng, cơ sở dữ liệu không ghi được); "
    f"{EXIT_USAGE} = dòng lệnh sai cú pháp (kể cả tháng --period viết sai); "
    f"{EXIT_LOCKED} = cơ sở dữ liệu đang bị chương trình khác giữ hoặc lượt ghi phải chờ quá lâu."
)
"""The epilog of every command line's help."""
