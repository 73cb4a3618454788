"""The one read rule (``store.accounts.Account``): every signed-in account reads every locality; its
own locality limits what it may change and is the one it sees first. One test per page."""

from __future__ import annotations

import pytest
from page_fixtures import assert_clean, open_page, page_text

from ui.navigation import PAGES

pytestmark = pytest.mark.both_backends

READABLE = [spec for spec in PAGES if "viewer" in spec.roles]


@pytest.mark.parametrize("spec", READABLE, ids=[spec.url_path for spec in READABLE])
def test_a_viewer_of_one_locality_reads_another_one_on_every_page(known_db, catalog, spec):
    at = open_page(spec.script, locality="hung_dao", role="viewer", scope="tan_an")
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert at.session_state["locality_id"] == "hung_dao"
    assert at.selectbox(key="pick_locality").value == "hung_dao"
    assert not at.get("file_uploader")  # reading only: no upload, no template
    assert all(b.key not in ("close_month", "template_reset", "upload_confirm") for b in at.button)


@pytest.mark.parametrize(
    "spec", [s for s in PAGES if "office" in s.roles and "viewer" not in s.roles], ids=lambda spec: spec.url_path
)
def test_an_office_reads_another_locality_and_changes_only_its_own(known_db, catalog, spec):
    at = open_page(spec.script, locality="hung_dao", role="office", scope="tan_an")
    assert_clean(at)
    assert at.session_state["locality_id"] == "hung_dao"
    assert all(b.key != "close_month" for b in at.button)  # Nhật ký: no closing a month of another locality
    if spec.url_path == "nhat-ky":
        assert catalog.plan("hung_dao").name not in set(at.dataframe[0].value["Địa phương"])
    else:
        assert "Xã Tân An" in page_text(at).replace("\\", "")  # the upload page says whose sheets it takes
