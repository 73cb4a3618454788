"""Optional PDF of a report, made by LibreOffice (``soffice --headless --convert-to pdf``) when it
is installed (Debian: ``libreoffice-writer-nogui``); the .docx is the report itself."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 180


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes) -> bytes:
    """The PDF of a .docx (raises ``RuntimeError`` with a Vietnamese message when it cannot)."""
    program = soffice()
    if program is None:
        raise RuntimeError(
            "Máy chủ chưa cài LibreOffice (gói libreoffice-writer-nogui) nên không tạo được PDF; "
            "tệp .docx vẫn dùng được."
        )
    with tempfile.TemporaryDirectory(prefix="dmst-pdf-") as work:
        source = Path(work) / "bao_cao.docx"
        source.write_bytes(docx)
        profile = Path(work) / "profile"
        done = subprocess.run(
            [
                program,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                work,
                str(source),
            ],
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        target = source.with_suffix(".pdf")
        if done.returncode != 0 or not target.exists():
            raise RuntimeError(f"LibreOffice không chuyển được báo cáo sang PDF (mã {done.returncode}).")
        return target.read_bytes()
