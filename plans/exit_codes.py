"""Exit status of the command lines (``python -m loaders``, ``python -m scoring``)."""
from __future__ import annotations

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3
EXIT_CODES = (
    f"Mã thoát: {EXIT_OK} = mọi tệp được nhận; {EXIT_REJECTED} = có tệp bị từ chối hoặc yêu cầu không hợp lệ; "
    f"{EXIT_USAGE} = dòng lệnh sai cú pháp; {EXIT_LOCKED} = cơ sở dữ liệu đang bị chương trình khác giữ."
)
