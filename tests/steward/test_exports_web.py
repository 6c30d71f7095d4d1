"""A survey-tool export on the steward page: upload, the mapping form, saved mapping, checked wave with its counts;
the next wave of the same survey needs no mapping; an unrecognised export is refused by name."""

from __future__ import annotations

import io
import re
import time

from dashboard.ingest.exports import FIELDS
from dashboard.steward import exports as X
from dashboard.steward import uploads as U
from tests.conftest import csrf_token
from tests.ingest import exports_fixtures as F

NAME = "web-test-qualtrics"


def _upload(client, name: str, data: bytes, wave: str = "2026"):
    token = csrf_token(client, "/steward")
    return client.post(
        "/steward/upload",
        data={"csrf_token": token, "wave": wave, "files": [(io.BytesIO(data), name)]},
        content_type="multipart/form-data",
    )


def _wait(client, url: str, marks: tuple[str, ...], timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = client.get(url).get_data(as_text=True)
        if any(m in page for m in marks):
            return page
        time.sleep(0.1)
    raise AssertionError(f"{url} never showed {marks}")


def _selected(page: str, name: str) -> str:
    block = page[page.index(f'name="{name}"') :]
    block = block[: block.index("</select>")]
    found = re.search(r'<option value="([^"]*)" selected>', block)
    return found.group(1) if found else ""


def test_sx001_export_mapped_once_then_next_wave_goes_straight_to_its_checks(role_clients, app_config):
    client = role_clients["steward"]
    saved = X.instruments_dir(app_config) / f"{NAME}.yaml"
    try:
        response = _upload(client, "survey.csv", F.qualtrics_csv(F.responses(20)))
        assert response.status_code == 303
        url = response.headers["Location"]
        page = _wait(client, url, ('id="mapping-form"', "upload-refused"))
        assert 'id="mapping-form"' in page and "Qualtrics" in page
        assert "IPAddress" in page and "RecipientEmail" in page and "@example.org" not in page
        fields = {f"q.{f}": _selected(page, f"q.{f}") for f in FIELDS}
        assert fields["q.city"] == "Q1" and fields["q.victimisation_type"] == "Q7"
        token = csrf_token(client, url)
        form = {"csrf_token": token, "instrument": NAME, "wave": "2026", "wave_from": "form", "action": "save"}
        form |= fields | {f"oq.{k[2:]}": v for k, v in fields.items()}
        bad = client.post(f"{url}/mapping", data=form | {"q.role": ""})
        assert bad.status_code == 400 and "field role is not mapped" in bad.get_data(as_text=True)
        assert client.post(f"{url}/mapping", data=form).status_code == 303
        page = _wait(client, url, ("upload-checked", "upload-refused"))
        assert "upload-checked" in page and 'id="export-counts"' in page, page[-3000:]
        assert "gave 20 respondents" in page and "1 left out" in page
        staged = U.staged_dir(app_config, url.rsplit("/", 1)[1])
        kept = "".join(p.read_text(encoding="utf-8") for p in staged.glob("*.csv"))
        assert kept and not any(secret in kept for secret in F.SECRET_VALUES)
        assert not (staged / U.INCOMING).exists() and saved.is_file()

        response = _upload(client, "survey-wave-2.csv", F.qualtrics_csv(F.responses(12, seed=3)), wave="2027")
        page = _wait(client, response.headers["Location"], ("upload-checked", "upload-refused", 'id="mapping-form"'))
        assert "upload-checked" in page and "gave 12 respondents" in page and NAME in page

        renamed = F.qualtrics_csv(F.responses(8, seed=4)).replace(b"Q3,Q4", b"Q3b,Q4", 1)
        response = _upload(client, "survey-wave-3.csv", renamed, wave="2028")
        page = _wait(client, response.headers["Location"], ('id="mapping-form"', "upload-refused", "upload-checked"))
        assert 'id="mapping-problems"' in page and "field role: the mapping names this question" in page
        assert "the closest question here is &#39;Q3b&#39;" in page and f'value="{NAME}"' in page
    finally:
        saved.unlink(missing_ok=True)


def test_sx002_unrecognised_export_is_refused_by_name(role_clients):
    client = role_clients["steward"]
    response = _upload(client, "mystery.csv", b"colour,size\nred,3\n")
    page = _wait(client, response.headers["Location"], ("upload-refused",))
    assert "<code>unrecognised_export</code>" in page and "SurveyMonkey" in page
