"""Word and PDF files sent by an account are hostile until checked: a template's tags never run code,
and compressed bombs are refused within bounds (< 5 s, < 300 MB) before any parser opens them."""

from __future__ import annotations

import datetime
import io
import json
import os
import re
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from jinja2.sandbox import SecurityError
from sheet_factory import add_parts, replace_part

from reports.template import default_template
from reports.template_check import TemplateProblem, check_template, jinja_env, usable
from store.accounts import Account, add_user
from store.db import Target, connection, writing
from store.report_templates import save_template

pytestmark = pytest.mark.both_backends

ROOT = Path(__file__).resolve().parent.parent
PAYLOADS = {
    "cycler": "{{ cycler.__init__.__globals__.os.popen('touch MARK').read() }}",
    "mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "self": "{{ self.__init__.__globals__.__builtins__.__import__('os').system('touch MARK') }}",
    "lipsum": "{{ lipsum.__globals__['os'].popen('touch MARK').read() }}",
    "namespace": "{% set ns = namespace(cmd='touch MARK') %}{{ ns.cmd }}",
    "joiner": "{{ joiner.__init__.__globals__.os.system('touch MARK') }}",
}
WHAT_IS_NAMED = {
    "cycler": "__init__",
    "mro": "__class__",
    "self": "__init__",
    "lipsum": "__globals__",
    "namespace": "set",
    "joiner": "__init__",
}


def with_text(text: str, where: str) -> bytes:
    """The default template with ``text`` as one run of a new paragraph in the body, the header, or
    the document's title (docxtpl renders all three)."""
    doc = Document(io.BytesIO(default_template()))
    if where == "body":
        doc.add_paragraph(text)
    elif where == "header":
        doc.sections[0].header.add_paragraph(text)
    else:
        doc.core_properties.title = text
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@pytest.fixture()
def mark(tmp_path, monkeypatch) -> Path:
    """The file a payload's command would create (the tests run in ``tmp_path``)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path / "MARK"


@pytest.mark.parametrize("where", ["body", "header", "title"])
@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_code_in_a_template_is_refused_and_never_runs(name, where, mark):
    problems = check_template(with_text(PAYLOADS[name], where))
    assert problems, name
    assert any(WHAT_IS_NAMED[name] in p and p.startswith("Thẻ “") for p in problems), problems
    assert not mark.exists()


@pytest.mark.parametrize("name", sorted(set(PAYLOADS) - {"namespace"}))
def test_the_sandbox_refuses_even_what_the_check_would_miss(name, mark):
    """The second wall: every template renders in Jinja's immutable sandbox (``namespace`` alone reaches
    no Python: the check refuses it as a name outside the tags)."""
    with pytest.raises(SecurityError):
        jinja_env().from_string(PAYLOADS[name]).render(du_lieu_mau=True)
    assert not mark.exists()


def test_a_stored_template_from_before_the_checks_is_never_rendered(known_db, catalog, tmp_path, mark):
    db = known_db
    with writing(db) as con:
        save_template(
            con,
            Account("op", "admin"),
            "tan_an",
            with_text(PAYLOADS["cycler"], "body"),
            "mau.docx",
            datetime.datetime(2026, 6, 20),
        )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "reports",
            "build",
            "--locality",
            "tan_an",
            "--period",
            "2026-06",
            "--out",
            str(tmp_path / "bc.docx"),
            "--db",
            str(db),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "Lỗi: Mẫu báo cáo không dùng được" in done.stderr and "__init__" in done.stderr
    assert "Traceback" not in done.stderr
    assert not mark.exists() and not (tmp_path / "bc.docx").exists()


def template_cli(*args: str, db: Target) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reports", "template", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DMST_DB": str(db)},
    )


@pytest.mark.slow  # eight command lines in their own processes
def test_the_template_command_line_checks_sets_gets_and_resets_with_rights(known_db, tmp_path, mark):
    db = known_db
    with writing(db) as con:
        for name, role, locality in (
            ("office-ta", "office", "tan_an"),
            ("office-hd", "office", "hung_dao"),
            ("viewer-all", "viewer", None),
            ("admin-all", "admin", None),
        ):
            add_user(con, name, "mat-khau-du-dai-2026", role, locality, datetime.datetime(2026, 6, 1))
    bad, good = tmp_path / "xau.docx", tmp_path / "mau.docx"
    bad.write_bytes(with_text(PAYLOADS["lipsum"], "body"))
    good.write_bytes(with_text("Kính gửi thêm: Đảng ủy xã", "body"))
    refused = template_cli("check", str(bad), db=db)
    assert refused.returncode == 1 and "__globals__" in refused.stderr and not mark.exists()
    assert template_cli("check", str(good), db=db).returncode == 0
    for user in ("khong-co-ai", "office-hd", "viewer-all"):  # unknown; an office of another locality; a viewer
        done = template_cli("set", "--locality", "tan_an", "--user", user, str(good), db=db)
        assert done.returncode == 1, (user, done.stdout, done.stderr)
    assert template_cli("set", "--locality", "tan_an", "--user", "office-ta", str(bad), db=db).returncode == 1
    assert template_cli("set", "--locality", "all", "--user", "office-ta", str(good), db=db).returncode == 1
    assert template_cli("set", "--locality", "tan_an", "--user", "office-ta", str(good), db=db).returncode == 0
    out = tmp_path / "lay_lai.docx"
    assert template_cli("get", "--locality", "tan_an", "--out", str(out), db=db).returncode == 0
    assert out.read_bytes() == good.read_bytes()
    assert template_cli("reset", "--locality", "tan_an", "--user", "admin-all", db=db).returncode == 0
    assert template_cli("get", "--locality", "tan_an", "--out", str(out), db=db).returncode == 0
    texts = [paragraph.text for paragraph in Document(str(out)).paragraphs]
    assert "BÁO CÁO" in texts and "Kính gửi thêm: Đảng ủy xã" not in texts
    with connection(db) as con:
        journal = con.execute(
            "SELECT actor, action, locality_id FROM audit_log WHERE action LIKE 'template%' ORDER BY id"
        ).fetchall()
    assert journal == [("office-ta", "template_set", "tan_an"), ("admin-all", "template_reset", "tan_an")]


def measured(function: str, data: bytes, tmp_path: Path) -> dict:
    """Run ``function`` (module:name, taking bytes) on ``data`` in a fresh interpreter; its answer, the
    seconds it took and the process's peak memory (MB, from VmHWM: ``ru_maxrss`` would carry the
    parent's peak across fork and exec)."""
    path = tmp_path / "input.bin"
    path.write_bytes(data)
    code = (
        "import importlib, json, sys, time\n"
        "module, name = sys.argv[1].split(':')\n"
        "function = getattr(importlib.import_module(module), name)\n"
        "data = open(sys.argv[2], 'rb').read()\n"
        "began = time.perf_counter()\n"
        "try:\n    answer = function(data)\nexcept Exception as err:\n    answer = str(err)\n"
        "seconds = time.perf_counter() - began\n"
        "peak = next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM'))\n"
        "print(json.dumps({'answer': str(answer), 'seconds': seconds, 'peak_mb': peak / 1024}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, function, str(path)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def lying_about_its_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with ``name``'s declared size set to ``size`` in both of its headers."""
    bomb = bytearray(data)
    for header, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        for match in re.finditer(re.escape(header), data):
            if bomb[match.start() + name_at : match.start() + name_at + len(name)] == name.encode():
                struct.pack_into("<I", bomb, match.start() + size_at, size)
    return bytes(bomb)


def _bombs() -> dict[str, tuple[Callable[[], bytes], str]]:
    """Each bomb (made when asked for: some take hundreds of MB to build) and the refusal it gets."""
    template = default_template()

    def huge(xml: bytes) -> bytes:
        return xml.replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>" + b" " * (300 << 20) + b"</w:t></w:r></w:p>")

    def tags(xml: bytes) -> bytes:
        return xml.replace(b"<w:body>", b"<w:body>" + b"<w:p><w:r><w:t>{{ nguoi_ky </w:t></w:r></w:p>" * 60_000)

    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10) for i in range(9))
        + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>'
        b"<w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>"
    )
    return {
        "300 MB of text in 0.3 MB": (
            lambda: replace_part(template, "word/document.xml", huge),
            "giải nén lớn hơn 40 MB",
        ),
        "12 MB of XML beside the body": (
            lambda: add_parts(template, {"customXml/item9.xml": b"<a>" + b"b" * (12 << 20) + b"</a>"}),
            "phần nội dung giải nén lớn hơn 4 MB",
        ),
        "a part lying about its size": (
            lambda: lying_about_its_size(
                add_parts(template, {"word/media/x.bin": b"\0" * (50 << 20)}), "word/media/x.bin", 1000
            ),
            "bị hỏng",
        ),
        "5,000 parts": (
            lambda: add_parts(template, {f"word/media/{i}.png": b"x" for i in range(5000)}),
            "nhiều bất thường",
        ),
        "60,000 unclosed tags": (lambda: replace_part(template, "word/document.xml", tags), "nhiều bất thường"),
        "a billion laughs": (lambda: replace_part(template, "word/document.xml", lambda xml: laughs), "bị hỏng"),
    }


@pytest.mark.parametrize("case", sorted(_bombs()))
def test_template_bombs_are_refused_within_bounds(case, tmp_path):
    make, message = _bombs()[case]
    data = make()
    assert len(data) < 1.1 * 1024 * 1024, len(data)
    run = measured("reports.template_check:check_template", data, tmp_path)
    assert message in run["answer"], run
    assert run["seconds"] < 5 and run["peak_mb"] < 300, run


@pytest.mark.parametrize("case", ["300 MB of text in 0.3 MB", "a part lying about its size", "5,000 parts"])
def test_plan_document_bombs_are_refused_within_bounds(case, tmp_path):
    make, message = _bombs()[case]
    run = measured("tests.hostile_plans:extract_docx", make(), tmp_path)
    assert message in run["answer"], run
    assert run["seconds"] < 5 and run["peak_mb"] < 300, run


def _pdf_bomb(pages: int, stream: bytes) -> bytes:
    """A PDF of ``pages`` pages sharing one Flate content stream whose inflated text is ``stream``."""
    import zlib

    packed = zlib.compress(stream, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (4 + i) for i in range(pages)) + b"] /Count %d >>" % pages,
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * pages
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


@pytest.mark.parametrize(
    "pages, stream, message",
    [
        (1, b"BT /F1 12 Tf (a) Tj ET " * (8 << 20), "giải ra lớn bất thường"),
        (5000, b"BT ET", "5000 trang, quá 300 trang"),
    ],
)
def test_pdf_bombs_are_refused_within_bounds(pages, stream, message, tmp_path):
    data = _pdf_bomb(pages, stream)
    assert len(data) < 2 * 1024 * 1024
    run = measured("tests.hostile_plans:extract_pdf", data, tmp_path)
    assert message in run["answer"], run
    assert run["seconds"] < 5 and run["peak_mb"] < 300, run


def test_a_refused_template_names_the_tag_and_nothing_else_changes():
    with pytest.raises(TemplateProblem) as refused:
        usable(with_text("{{ ten_khong_co }}", "body"))
    assert refused.value.problems == [
        "Thẻ “{{ ten_khong_co }}” dùng tên “ten_khong_co”, không có trong danh sách "
        "thẻ của mẫu. Mẫu báo cáo chỉ được dùng các thẻ trong danh sách “Cách sửa mẫu”."
    ]
    assert zipfile.is_zipfile(io.BytesIO(usable(default_template())))
