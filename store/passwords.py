"""What makes a password acceptable for an account: long enough, not the account's name, not common.

Rules (each refusal says which, in Vietnamese): at least ``MIN_LENGTH`` characters; not the user
name, nor containing it; not one character repeated, nor a run of consecutive letters or digits
(``abcdefghij``, ``9876543210``); not in the list of common passwords shipped in
``store/data/common_passwords.txt`` (compared without regard to case).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

MIN_LENGTH = 10
COMMON_LIST = Path(__file__).with_name("data") / "common_passwords.txt"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of passwords too common to accept (case-folded)."""
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))


def _a_run(text: str) -> bool:
    """One character repeated, or each character one after the previous (up or down)."""
    steps = {ord(b) - ord(a) for a, b in zip(text, text[1:])}
    return len(steps) == 1 and steps <= {-1, 0, 1}


def password_problem(password: str, username: str) -> str | None:
    """Why ``password`` may not be used by ``username`` (Vietnamese), or ``None`` when it may."""
    if len(password) < MIN_LENGTH:
        return f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự."
    folded, name = password.casefold(), username.casefold().strip()
    if name and (folded == name or (len(name) >= 3 and name in folded)):
        return "Mật khẩu không được là tên đăng nhập hay chứa tên đăng nhập."
    if _a_run(folded):
        return "Mật khẩu không được là một ký tự lặp lại hay một dãy liên tiếp (ví dụ 9876543210, abcdefghij)."
    if folded in common_passwords():
        return "Mật khẩu này quá phổ biến (có trong danh sách mật khẩu hay bị dò); hãy chọn mật khẩu khác."
    return None
