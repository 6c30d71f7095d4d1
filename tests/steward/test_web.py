"""The steward pages through Flask, as each role: access, templates, bad uploads, and upload → prepare → publish →
rollback on the session app (restored at the end)."""

from __future__ import annotations

import io
import json
import re
import time

import pytest
from openpyxl import load_workbook

from dashboard import audit_log as AL
from dashboard.steward import history as H
from dashboard.steward import uploads as U
from tests.conftest import csrf_token
from tests.ingest import corpus
from tests.steward.conftest import wave_uploads


def _files(uploads) -> dict:
    return {"files": [(io.BytesIO(u.data), u.name) for u in uploads]}


def _upload(client, uploads, token: str | None = None):
    token = csrf_token(client, "/steward") if token is None else token
    return client.post(
        "/steward/upload", data={"csrf_token": token, **_files(uploads)}, content_type="multipart/form-data"
    )


def test_sw001_only_stewards_reach_the_steward_pages(role_clients):
    anonymous = role_clients["public"].get("/steward")
    assert anonymous.status_code == 303 and anonymous.headers["Location"].startswith("/login?next=/steward")
    for role in ("funder", "coalition"):
        response = role_clients[role].get("/steward")
        assert response.status_code == 403 and "for data stewards" in response.get_data(as_text=True)
        assert role_clients[role].post("/steward/rollback", data={"version": "x"}).status_code == 403
    page = role_clients["steward"].get("/steward").get_data(as_text=True)
    assert 'id="upload-form"' in page and 'id="history-table"' in page
    layout = role_clients["steward"].get("/_dash-layout").get_data(as_text=True)
    assert '"id":"steward-link"' in layout
    assert '"id":"steward-link"' not in role_clients["coalition"].get("/_dash-layout").get_data(as_text=True)


def test_sw002_templates_and_data_dictionary(role_clients):
    client = role_clients["steward"]
    book = load_workbook(io.BytesIO(client.get("/steward/template.xlsx").data))
    assert {"respondents", "encounters"} <= set(book.sheetnames)
    answer = client.get("/steward/template/respondents.csv")
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset, not two
    csv = answer.get_data(as_text=True)
    assert csv.lstrip("\ufeff").splitlines()[0].startswith("respondent_id,wave,city,sector")  # BOM: Excel reads UTF-8
    assert client.get("/steward/template/secret.csv").status_code == 404
    dictionary = client.get("/steward/dictionary").get_data(as_text=True)
    assert "contact_any" in dictionary and "law_enforcement" in dictionary


@pytest.mark.parametrize(
    ("make", "rule"),
    [
        (corpus.empty_file, "empty_file"),
        (corpus.header_only, "no_rows"),
        (corpus.latin1_csv, "encoding"),
        (corpus.semicolons, "delimiter"),
        (corpus.unknown_codes, "unknown_code"),
        (corpus.xml_entities, "xml_entities"),
        (corpus.formulas, "formula"),
        (corpus.email_in_id, "identifying_value"),
        (corpus.wave_published, "wave_exists"),
    ],
)
def test_sw003_a_bad_upload_is_refused_with_its_rule_and_changes_nothing(role_clients, app_config, make, rule):
    client = role_clients["steward"]
    served = H.current_version(app_config.release_dir)
    response = _upload(client, make())
    assert response.status_code == 303
    page_url = response.headers["Location"]
    page = _wait_state(client, page_url, "upload-refused")
    assert f"<code>{rule}</code>" in page and 'id="problems-table"' in page
    assert "example.org" not in page  # an identifying value is never echoed
    assert H.current_version(app_config.release_dir) == served
    kept = U.staged_dir(app_config, page_url.rsplit("/", 1)[1])
    assert sorted(p.name for p in kept.iterdir()) == ["status.json", "upload.json"]  # no data, no uploaded file
    assert rule in json.dumps(_refusal_record(app_config, page_url.rsplit("/", 1)[1]))
    assert 'id="prepare-submit"' not in page


def _refusal_record(app_config, upload_id: str, timeout: float = 30) -> dict:
    """The audit record of this upload's refusal. The check job writes the upload's state first and its audit
    record right after, so a page can read "refused" a moment before the record is there: wait for it."""
    deadline = time.monotonic() + timeout
    while True:
        for record in AL.AuditLog(app_config.audit_log).read(20):
            if record.get("event") == AL.UPLOAD_REFUSED and record.get("upload") == upload_id:
                return record
        if time.monotonic() > deadline:
            raise AssertionError(f"no {AL.UPLOAD_REFUSED!r} audit record for upload {upload_id}")
        time.sleep(0.1)


def test_sw004_an_upload_over_the_size_limit_is_refused_before_it_is_read(role_clients, app_config):
    client = role_clients["steward"]
    token = csrf_token(client, "/steward")
    big = b"respondent_id\n" + b"x" * (app_config.max_upload_mb * 1024 * 1024 * 4 + 100_000)
    response = client.post(
        "/steward/upload",
        data={"csrf_token": token, "files": [(io.BytesIO(big), "big.csv")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413 and "over the limit" in response.get_data(as_text=True)


def test_sw005_upload_without_csrf_is_refused(role_clients):
    response = _upload(role_clients["steward"], wave_uploads(), token="forged")
    assert response.status_code == 400


def _wait_state(client, page_url: str, state_text: str, timeout: float = 240) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = client.get(page_url).get_data(as_text=True)
        if state_text in page or "Preparation failed" in page or ("upload-refused" in page and state_text != "x"):
            return page
        time.sleep(0.1)
    raise AssertionError(f"{page_url} never reached {state_text!r}")


@pytest.mark.slow
def test_sw006_upload_prepare_publish_and_roll_back(role_clients, app_config):
    steward, public = role_clients["steward"], role_clients["public"]
    served = H.current_version(app_config.release_dir)
    response = _upload(steward, wave_uploads(80))
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    page_url = response.headers["Location"]
    page = _wait_state(steward, page_url, "upload-checked")
    assert "Checked: wave 2026, 80 respondents" in page
    assert re.search(r"<td>RCMP</td><td><code>law_enforcement</code>", page)  # labels mapped to codes
    token = csrf_token(steward, page_url)
    upload_id = page_url.rsplit("/", 1)[1]
    try:
        assert steward.post(f"{page_url}/prepare", data={"csrf_token": token}).status_code == 303
        page = _wait_state(steward, page_url, "ready to publish")
        assert 'id="preview-table"' in page, page[-2000:]
        assert H.current_version(app_config.release_dir) == served  # preparing changes nothing served
        response = steward.post(f"{page_url}/publish", data={"csrf_token": token})
        assert response.status_code == 200 and "Published: version" in response.get_data(as_text=True)
        assert H.current_version(app_config.release_dir) != served
        assert "2026" in public.get("/_dash-layout").get_data(as_text=True)  # every audience sees the new wave
        events = [e["event"] for e in AL.AuditLog(app_config.audit_log).read(20)]
        assert AL.UPLOAD in events and AL.PUBLISH in events
        assert upload_id in app_config.audit_log.read_text(encoding="utf-8")
    finally:
        response = steward.post("/steward/rollback", data={"csrf_token": token, "version": served})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert H.current_version(app_config.release_dir) == served
    assert "2026" not in public.get("/_dash-layout").get_data(as_text=True)
    assert AL.AuditLog(app_config.audit_log).read(1)[0]["event"] == AL.ROLLBACK
    actions = steward.get("/steward").get_data(as_text=True)
    recent = actions[actions.index('id="actions-table"') :]
    assert "restored" in recent and "published" in recent and "test-client-steward" in recent
