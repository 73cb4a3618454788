"""The four command lines answer alike (plans/cli.py): 0 done, 1 refused, 2 a wrong command line
(a malformed month included), 3 the database held by another program; every refusal and lock is one
Vietnamese ``Lỗi:`` line first, never a traceback; every ``--help`` ends with the same exit codes."""

from __future__ import annotations

import pytest

from loaders.__main__ import main as loaders_main
from plans.exit_codes import EXIT_CODES
from reports.__main__ import main as reports_main
from scoring.__main__ import main as scoring_main
from store.__main__ import main as store_main

MAINS = {"loaders": loaders_main, "store": store_main, "scoring": scoring_main, "reports": reports_main}

# per command line, the arguments that give each status ({db} the database, {out} a file to write);
# 2 is a malformed month in a line that is otherwise right
CASES = {
    "loaders": {
        0: "template --locality tan_an --unit vhxh --period {month} --out {out}.xlsx",
        1: "template --locality khong_co --unit vhxh --period {month} --out {out}.xlsx",
        2: "template --locality tan_an --unit vhxh --period 2026-13 --out {out}.xlsx",
        3: "demo --db {db} --from 2026-01 --to 2026-01",
    },
    "store": {
        0: "--db {db} users list",
        1: "--db {db} lock --locality tan_an --period {month} --user khong_co",
        2: "--db {db} lock --locality tan_an --period 2026-13 --user khong_co",
        3: "--db {db} users list",
    },
    "scoring": {
        0: "summary --db {db} --period {month}",
        1: "summary --db {out}.duckdb --period {month}",
        2: "summary --db {db} --period 2026-13",
        3: "summary --db {db} --period {month}",
    },
    "reports": {
        0: "template get --locality tan_an --db {db} --out {out}.docx",
        1: "build --locality khong_co --period {month} --db {db} --out {out}.docx",
        2: "build --locality tan_an --period 2026-13 --db {db} --out {out}.docx",
        3: "build --locality tan_an --period {month} --db {db} --out {out}.docx",
    },
}


def status(cli: str, line: str) -> int:
    """What ``python -m <cli> <line>`` exits with (``sys.exit(main())``)."""
    try:
        return MAINS[cli](line.split())
    except SystemExit as stop:
        return stop.code


@pytest.mark.parametrize("expected", [0, 1, 2, 3])
@pytest.mark.parametrize("cli", sorted(MAINS))
def test_each_command_line_exits_alike(cli, expected, request, db, tmp_path, capsys):
    out = tmp_path / "out"
    if expected == 3:
        request.getfixturevalue("held")
    (tmp_path / "out.duckdb").write_bytes(b"not a database, " * 512)  # what scoring cannot read (1)
    got = status(cli, CASES[cli][expected].format(db=db, out=out, month="2026-06"))
    err = capsys.readouterr().err
    assert got == expected, err
    assert "Traceback" not in err
    if expected in (1, 3):
        assert err.startswith("Lỗi: ")
    if expected == 3:
        assert "đang bị một chương trình khác giữ" in err
    if expected == 2:
        assert "--period: tháng không hợp lệ: 13" in err
    assert bool(list(tmp_path.glob("out.*x"))) == (expected == 0 and cli in ("loaders", "reports"))


@pytest.mark.parametrize("cli", sorted(MAINS))
def test_every_help_names_the_same_exit_codes(cli, capsys):
    assert status(cli, "--help") == 0
    assert EXIT_CODES in " ".join(capsys.readouterr().out.split())
