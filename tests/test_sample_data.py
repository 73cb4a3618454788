"""Sample data goes as it came: ``python -m loaders demo --remove`` and the upload page's button take
every sample sheet away (journaled), leave the real ones as if the samples had never been, and the
pages stop saying "DỮ LIỆU MẪU" once no sample sheet counts in what they show."""

from __future__ import annotations

import datetime as dt

import pytest
from page_fixtures import JUNE, assert_clean, ensure_account, open_page
from sheet_factory import filled, query

from loaders.__main__ import main
from loaders.demo import last_ended_month, run_demo, sample_count
from loaders.ingest import ingest_files
from plans.periods import Period
from plans.reporting import COUNT, PERCENT, YES_NO, sheet_spec
from store.accounts import Account, RightsError
from store.db import connection
from store.queries import store_state
from store.sample_data import remove_sample_data

pytestmark = pytest.mark.both_backends

JAN, FEB, MAR = Period(2026, 1), Period(2026, 2), Period(2026, 3)
ADMIN = Account("city", "admin", None)
NOW = dt.datetime(2026, 12, 6, 9, 0)
COMPUTED = {
    "measure_months": "SELECT * FROM measure_months ORDER BY 1, 2, 3, 4, 5, 6",
    "latest_values": "SELECT * FROM latest_values ORDER BY 1, 2, 3, 4, 5, 6, 7, 8",
    "current_values": "SELECT locality_id, unit_code, village, period, is_sample, measure, value, numerator, "
    "denominator FROM current_values ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9",
}
"""What is computed from the uploads, in one order on both backends (the uploads' ids left out)."""


@pytest.fixture()
def mixed(db, catalog):
    """A month of sample data (February), then a real sheet that replaces a sample one and a real sheet of March."""
    run_demo(db, catalog, FEB, FEB)
    unit = query(db, "SELECT min(unit_code) FROM submissions WHERE locality_id = 'tan_an' AND period = '2026-02'")[0][0]

    def values(unit: str) -> dict[str, object]:  # every line of the unit's sheet filled in
        fill = {PERCENT: 77, COUNT: 3, YES_NO: "Có"}
        return {line.code: fill[line.entry] for line in sheet_spec(catalog, "tan_an", unit, 2026).lines}

    real = [
        (f"that_{unit}_02.xlsx", filled(catalog, "tan_an", unit, "2026-02", values(unit))),
        ("that_vhxh_03.xlsx", filled(catalog, "tan_an", "vhxh", "2026-03", values("vhxh"))),
    ]
    assert all(r.accepted for r in ingest_files(db, real, user=ADMIN, catalog=catalog))
    return db, real


def test_removal_leaves_the_real_sheets_as_if_there_had_been_no_sample(mixed, catalog, new_store):
    db, real = mixed
    samples = query(db, "SELECT count(*) FROM submissions WHERE is_sample")[0][0]
    with connection(db) as con:
        before = dict(zip(*store_state(con)[["locality_id", "version"]].to_dict("list").values()))
    removed = remove_sample_data(db, ADMIN, NOW, "10.0.0.7")
    assert removed.sheets == samples > 0 and removed.localities == tuple(sorted(catalog.plans))
    assert query(db, "SELECT file_name, is_current, replaces FROM submissions ORDER BY id") == [
        (real[0][0], True, None),
        (real[1][0], True, None),
    ]
    assert query(db, "SELECT count(*) FROM current_keys") == [(2,)]
    assert query(db, "SELECT count(*) FROM upload_files") == query(db, "SELECT count(*) FROM upload_contents") == [(2,)]
    # what is computed from the uploads is what the two real sheets alone give
    alone = new_store("alone")
    ingest_files(alone, real, user=ADMIN, catalog=catalog)
    for table, sql in COMPUTED.items():
        assert query(db, sql) == query(alone, sql), table
    assert query(db, "SELECT actor, address, summary FROM audit_log WHERE action = 'sample_removed'") == [
        ("city", "10.0.0.7", f"Xóa dữ liệu mẫu: {samples} phiếu mẫu của 5 địa phương")
    ]
    with connection(db) as con:
        state = store_state(con)
    assert not state["sample"].any() and state["sample_from"].isna().all()
    assert int(state.set_index("locality_id").at["tan_an", "version"]) != before["tan_an"]  # caches are not reused


def test_only_an_admin_removes_and_a_store_without_samples_is_left_alone(mixed):
    db, _ = mixed
    with pytest.raises(RightsError, match="Chỉ quản trị viên"):
        remove_sample_data(db, Account("lan", "office", "tan_an"), NOW)
    assert query(db, "SELECT count(*) FROM submissions WHERE is_sample")[0][0] > 0
    remove_sample_data(db, ADMIN, NOW)
    assert remove_sample_data(db, ADMIN, NOW).sheets == 0
    assert query(db, "SELECT count(*) FROM audit_log WHERE action = 'sample_removed'") == [(1,)]


def test_the_command_line_removes_sample_data_as_an_admin(mixed, capsys):
    db, _ = mixed
    assert main(["demo", "--db", str(db), "--remove"]) == 2
    assert "cần --user" in capsys.readouterr().err
    office = ensure_account("office", "tan_an", path=db)
    assert main(["demo", "--db", str(db), "--remove", "--user", office]) == 1
    assert "Chỉ quản trị viên mới được xóa dữ liệu mẫu" in capsys.readouterr().err
    admin = ensure_account("admin", path=db)
    assert main(["demo", "--db", str(db), "--remove", "--user", admin]) == 0
    assert "phiếu mẫu của 5 địa phương" in capsys.readouterr().out
    assert query(db, "SELECT count(*) FROM submissions WHERE is_sample") == [(0,)]
    assert query(db, "SELECT actor, address FROM audit_log WHERE action = 'sample_removed'") == [
        (admin, "máy chủ (dòng lệnh)")
    ]


def test_sample_data_ends_with_the_last_month_that_is_over(catalog):
    # a month is reported once it is over: on 6 December the sample data ends with November, whose sheets
    # are due on 5 December, so the month a page opens on is never one whose sheets are not yet due
    assert last_ended_month(dt.date(2026, 12, 6)) == Period(2026, 11)
    assert last_ended_month(dt.date(2027, 1, 1)) == Period(2026, 12)
    assert 0 < sample_count(catalog, JAN, FEB, now=NOW) < sample_count(catalog, JAN, MAR, now=NOW)


@pytest.mark.slow  # sample data loaded, then several pages
def test_pages_say_sample_data_only_while_it_counts_in_what_they_show(db, catalog):
    run_demo(db, catalog, Period(2026, 5), JUNE)
    at = open_page("views/overview.py")
    assert any("DỮ LIỆU MẪU" in w.value for w in at.warning)
    at = open_page("views/overview.py", period=Period(2026, 4))  # before the first sample month
    assert_clean(at)
    assert not any("DỮ LIỆU MẪU" in w.value for w in at.warning)
    at = open_page("views/upload.py")
    at.button(key="remove_sample").click().run()
    assert query(db, "SELECT count(*) FROM submissions WHERE is_sample")[0][0] > 0  # asks first
    at.button(key="remove_confirm").click().run()
    assert_clean(at)
    assert query(db, "SELECT count(*) FROM submissions WHERE is_sample") == [(0,)]
    assert any("Đã xóa" in s.value and "phiếu mẫu của 5 địa phương" in s.value for s in at.success)
    at.switch_page("views/overview.py").run()
    assert not any("DỮ LIỆU MẪU" in w.value for w in at.warning)


def test_loading_sample_data_reports_its_progress(db, catalog):
    told: list[tuple[int, int]] = []
    summary = run_demo(db, catalog, JAN, JAN, progress=lambda done, total: told.append((done, total)))
    assert told[-1] == (summary.files, summary.files) and summary.files == sample_count(catalog, JAN, JAN)
    assert [done for done, _ in told] == sorted({done for done, _ in told}) and len(told) >= summary.files // 10
