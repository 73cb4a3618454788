"""Sign-in sessions in the store and the accounts page: only a token's hash is kept; idle and lifetime
limits; every change to an account ends its sessions; an admin's accounts page, one-time passwords,
a person's own password. Real DuckDB files, the app under AppTest signed in through its forms."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook
from page_fixtures import APP, PASSWORD, assert_clean, log_in, open_page
from streamlit.testing.v1 import AppTest

from store import account_admin, sessions
from store.__main__ import main as store_main
from store.accounts import Account, AccountError, RightsError, add_user
from store.db import connection, writing_transaction

pytestmark = pytest.mark.both_backends

T0 = dt.datetime(2026, 7, 1, 8, 0)
ADMIN = Account("thanhpho", "admin")


@pytest.fixture()
def people(db):
    with writing_transaction(db) as con:
        add_user(con, "thanhpho", "mật khẩu quản trị 2026", "admin", None, T0)
        add_user(con, "lan", "mật khẩu văn hóa 2026", "office", "tan_an", T0)
    return db


def opened(db, username: str = "lan", at: dt.datetime = T0) -> str:
    with writing_transaction(db) as con:
        return sessions.open_session(con, username, at, "10.0.0.9", "Chromium")


def found(db, token: str, at: dt.datetime) -> sessions.Found:
    with connection(db) as con:
        return sessions.find(con, token, at)


def test_only_the_hash_of_a_256_bit_token_is_kept(people):
    token = opened(people)
    assert len(token) >= 43  # 32 random bytes, URL-safe
    with connection(people) as con:
        rows = con.execute("SELECT * FROM sessions").fetchall()
    assert token not in json.dumps(rows, default=str) and rows[0][0] == sessions.token_hash(token)
    assert found(people, token, T0).username == "lan"
    assert found(people, "a-token-nobody-was-given", T0).ended == sessions.SIGNED_OUT


@pytest.mark.parametrize("later, reason", [(dt.timedelta(minutes=29), None), (dt.timedelta(minutes=31), sessions.IDLE)])
def test_a_session_left_unused_ends(people, later, reason):
    token = opened(people)
    assert found(people, token, T0 + later).ended == reason


def test_a_session_in_use_still_ends_after_its_lifetime(people, monkeypatch):
    monkeypatch.setenv("DMST_SESSION_HOURS", "12")
    token = opened(people)
    for minutes in range(20, 12 * 60, 20):  # used every 20 minutes all day
        with writing_transaction(people) as con:
            sessions.touch(con, sessions.token_hash(token), T0 + dt.timedelta(minutes=minutes))
    assert found(people, token, T0 + dt.timedelta(hours=11, minutes=59)).username == "lan"
    assert found(people, token, T0 + dt.timedelta(hours=12, minutes=1)).ended == sessions.EXPIRED


@pytest.mark.parametrize(
    "change",
    [
        lambda con: account_admin.set_disabled(con, "lan", True, T0, ADMIN),
        lambda con: account_admin.reset_password(con, "lan", T0, ADMIN),
        lambda con: account_admin.set_password(con, "lan", "mật khẩu mới văn hóa 26", T0, ADMIN),
        lambda con: account_admin.change_role(con, "lan", "viewer", "tan_an", T0, ADMIN),
        lambda con: account_admin.change_role(con, "lan", "office", "hung_dao", T0, ADMIN, localities={"hung_dao"}),
    ],
    ids=["disabled", "reset", "password", "role", "locality"],
)
def test_every_change_to_an_account_ends_its_sessions_at_once(people, change):
    first, second, other = opened(people), opened(people), opened(people, "thanhpho")
    with writing_transaction(people) as con:
        change(con)
    assert found(people, first, T0).ended == found(people, second, T0).ended == sessions.ACCOUNT_CHANGED
    assert found(people, other, T0).username == "thanhpho"


def test_a_person_changing_their_own_password_keeps_the_session_they_are_using(people):
    here, elsewhere = opened(people), opened(people)
    lan = Account("lan", "office", "tan_an")
    with writing_transaction(people) as con:
        account_admin.set_password(
            con, "lan", "mật khẩu mới văn hóa 26", T0, lan, keep_session=sessions.token_hash(here)
        )
    assert found(people, here, T0).username == "lan"
    assert found(people, elsewhere, T0).ended == sessions.ACCOUNT_CHANGED


def test_only_an_admin_manages_accounts(people):
    lan = Account("lan", "office", "tan_an")
    with writing_transaction(people) as con:
        for action in (
            lambda: account_admin.set_disabled(con, "thanhpho", True, T0, lan),
            lambda: account_admin.reset_password(con, "thanhpho", T0, lan),
            lambda: account_admin.office_accounts(con, ["ke_sat"], T0, lan),
            lambda: add_user(con, "moi", "mật khẩu người mới 26", "viewer", None, T0, lan),
        ):
            with pytest.raises(RightsError, match="Chỉ quản trị viên"):
                action()
        with pytest.raises(AccountError, match="Không tự khóa"):
            account_admin.set_disabled(con, "thanhpho", True, T0, ADMIN)


def test_office_accounts_for_many_localities_get_one_time_passwords(people):
    with writing_transaction(people) as con:
        add_user(con, "ke_sat.vhxh", "mật khẩu cũ Kẻ Sặt 26", "office", "ke_sat", T0)
        made = account_admin.office_accounts(con, ["binh_giang", "ke_sat", "nam_thanh_mien"], T0, ADMIN)
    assert [(m.locality_id, m.username, m.password is not None) for m in made] == [
        ("binh_giang", "binh_giang.vhxh", True),
        ("ke_sat", "ke_sat.vhxh", False),
        ("nam_thanh_mien", "nam_thanh_mien.vhxh", True),
    ]
    assert made[1].note == "đã có tài khoản này, không tạo lại"
    with connection(people) as con:
        assert con.execute(
            "SELECT username, must_change FROM users WHERE username LIKE '%.vhxh' ORDER BY 1"
        ).fetchall() == [("binh_giang.vhxh", True), ("ke_sat.vhxh", False), ("nam_thanh_mien.vhxh", True)]
        journal = con.execute("SELECT actor, summary FROM audit_log WHERE action = 'user_added' ORDER BY id").fetchall()
    assert journal[-1] == (
        "thanhpho",
        "Tạo tài khoản nam_thanh_mien.vhxh (office, địa phương: nam_thanh_mien, mật khẩu dùng một lần)",
    )
    assert all(m.password not in str(journal) for m in made if m.password)


def test_the_operator_enables_and_resets_from_the_command_line(people, capsys):
    assert store_main(["--db", str(people), "users", "disable", "lan"]) == 0
    assert store_main(["--db", str(people), "users", "enable", "lan"]) == 0
    assert store_main(["--db", str(people), "users", "reset", "lan"]) == 0
    printed = capsys.readouterr().out.splitlines()[-1]
    assert printed.startswith("Mật khẩu dùng một lần của lan: ") and "chỉ hiện lần này" in printed
    with connection(people) as con:
        assert con.execute("SELECT disabled, must_change FROM users WHERE username = 'lan'").fetchone() == (False, True)


def test_an_admin_hands_out_office_accounts_and_one_signs_in_once_with_its_password(known_db, catalog):
    at = open_page("views/accounts.py")
    assert_clean(at)
    at.multiselect(key="batch_localities").set_value(["binh_giang", "ke_sat", "nam_thanh_mien"]).run()
    at.button(key="batch_create").click().run()
    assert_clean(at)
    handout = next(t.value for t in at.table if "Mật khẩu dùng một lần" in t.value.columns)
    assert list(handout["Tên đăng nhập"]) == ["binh_giang.vhxh", "ke_sat.vhxh", "nam_thanh_mien.vhxh"]
    password = handout.set_index("Tên đăng nhập").loc["ke_sat.vhxh", "Mật khẩu dùng một lần"]
    download = next(d for d in at.get("download_button") if d.proto.label == "Tải danh sách (.xlsx)")
    assert download
    first = AppTest.from_file(APP, default_timeout=60).run()
    log_in(first, "ke_sat.vhxh", password)
    assert first.title[0].value == "Đặt mật khẩu mới"
    first.text_input(key="first_password_current").input(password)
    first.text_input(key="first_password_new").input("ke_sat.vhxh 2026")
    first.text_input(key="first_password_again").input("ke_sat.vhxh 2026")
    first.button(key="FormSubmitter:first_password_form-Đặt mật khẩu mới").click().run()
    assert any("chứa tên đăng nhập" in e.value for e in first.error)
    first.text_input(key="first_password_new").input("xã Kẻ Sặt đổi mới 2026")
    first.text_input(key="first_password_again").input("xã Kẻ Sặt đổi mới 2026")
    first.button(key="FormSubmitter:first_password_form-Đặt mật khẩu mới").click().run()
    assert_clean(first)
    assert first.title[0].value == "Tổng quan" and first.session_state["locality_id"] == "ke_sat"
    again = AppTest.from_file(APP, default_timeout=60).run()
    log_in(again, "ke_sat.vhxh", password)  # the one-time password worked once
    assert [e.value for e in again.error] == ["Sai tên đăng nhập hoặc mật khẩu."]


def test_the_handout_workbook_keeps_passwords_as_text(catalog):
    from ui.account_tables import handout_xlsx

    made = [
        account_admin.Created("ke_sat", "ke_sat.vhxh", "0123-4567-89ab", "đổi mật khẩu ở lần đăng nhập đầu"),
        account_admin.Created("tan_an", "tan_an.vhxh", "=1+1", "x"),
    ]
    sheet = load_workbook(io.BytesIO(handout_xlsx(made, catalog, "01/07/2026 08:00"))).active
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert rows == [
        ("Xã Kẻ Sặt", "ke_sat.vhxh", "0123-4567-89ab", "đổi mật khẩu ở lần đăng nhập đầu"),
        ("Xã Tân An", "tan_an.vhxh", "=1+1", "x"),
    ]
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=5) for cell in row)


def test_a_person_changes_their_own_password_from_the_sidebar(known_db):
    at = open_page("views/overview.py", role="office", scope="tan_an")
    at.text_input(key="own_password_current").input(PASSWORD)
    at.text_input(key="own_password_new").input("mật khẩu mới của tôi 2026")
    at.text_input(key="own_password_again").input("mật khẩu mới của tôi 2026")
    at.button(key="FormSubmitter:own_password_form-Đặt mật khẩu mới").click().run()
    assert_clean(at)
    assert any("Đã đặt mật khẩu mới" in s.value for s in at.success)
    assert at.title[0].value == "Tổng quan"  # this session goes on
    at.run()  # a rerun of the same page (its width measured) keeps the notice
    assert any("Đã đặt mật khẩu mới" in s.value for s in at.success)
    at.switch_page("views/tasks.py").run()
    assert not any("Đã đặt mật khẩu mới" in s.value for s in at.success)  # another page: said once is enough
    fresh = AppTest.from_file(APP, default_timeout=60).run()
    log_in(fresh, "office-tan_an", "mật khẩu mới của tôi 2026")
    assert fresh.title[0].value == "Tổng quan"


@pytest.mark.slow  # two sessions over many page runs
def test_the_accounts_page_disables_resets_and_moves_an_account_and_ends_its_session(known_db, catalog):
    viewer = open_page("views/overview.py", role="viewer", scope="tan_an")
    at = open_page("views/accounts.py")
    at.selectbox(key="edit_username").set_value("viewer-tan_an").run()
    at.button(key="edit_disable").click().run()
    assert_clean(at)
    assert "Đã khóa" in set(next(t.value for t in at.dataframe if "Trạng thái" in t.value.columns)["Trạng thái"])
    viewer.run()  # the viewer's next rerun
    assert viewer.title[0].value == "Đăng nhập"
    at.selectbox(key="edit_username").set_value("viewer-tan_an").run()
    at.button(key="edit_disable").click().run()  # enabled again
    at.button(key="edit_reset").click().run()
    shown = [s.value for s in at.success if "Mật khẩu dùng một lần của viewer\\-tan\\_an" in s.value]
    assert shown and len(shown[0].split("`")[1]) == 14
    at.selectbox(key="edit_role_value").set_value("office")
    at.selectbox(key="edit_locality").set_value("ke_sat")
    at.button(key="FormSubmitter:edit_role-Đổi vai trò, địa phương").click().run()
    assert_clean(at)
    table = next(t.value for t in at.dataframe if "Trạng thái" in t.value.columns).set_index("Tên đăng nhập")
    assert table.loc["viewer-tan_an", "Vai trò"] == "Phòng Văn hóa - Xã hội"
    assert table.loc["viewer-tan_an", "Địa phương"] == catalog.plan("ke_sat").name
    with connection(known_db) as con:
        journal = [
            row[0]
            for row in con.execute(
                "SELECT action FROM audit_log WHERE actor = 'admin-all' "
                "AND action LIKE 'user%' OR action = 'password_changed' "
                "ORDER BY id"
            ).fetchall()
        ]
    assert journal[-4:] == ["user_disabled", "user_enabled", "password_changed", "user_changed"]
