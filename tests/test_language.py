"""The reader's language (issue 16): ?lang=, then the cookie, then Accept-Language, then DASHBOARD_LANGUAGE."""

from __future__ import annotations

import json
import re

from werkzeug.datastructures import LanguageAccept

from dashboard import language as L

HTML_LANG = re.compile(r'<html lang="([a-z]{2})">')


def _accept(*pairs: tuple[str, float]) -> LanguageAccept:
    return LanguageAccept(list(pairs))


def test_la001_each_source_in_turn():
    assert L.negotiate("fr", "en", _accept(("en", 1)), "en") == "fr"
    assert L.negotiate(None, "fr", _accept(("en", 1)), "en") == "fr"
    assert L.negotiate(None, None, _accept(("fr-CA", 1), ("en", 0.5)), "en") == "fr"
    assert L.negotiate(None, None, _accept(("de", 1)), "fr") == "fr"
    assert L.negotiate(None, None, None, "en") == "en"


def test_la002_values_that_are_not_languages_are_passed_over():
    assert L.negotiate("xx", "fr", None, "en") == "fr"
    assert L.negotiate(["fr"], "<script>", _accept(("en", 1)), "fr") == "en"
    assert L.negotiate("", "", None, "nonsense") == "en"


def test_la003_links_keep_the_language_and_their_other_parameters():
    assert L.with_lang("/explore?wave=2012&city=vancouver", "fr") == "/explore?wave=2012&city=vancouver&lang=fr"
    assert L.with_lang("/explore?lang=en&wave=2012", "fr") == "/explore?wave=2012&lang=fr"
    assert L.with_lang("/", "en") == "/?lang=en"
    assert L.with_lang("/present?slide=2#top", "fr") == "/present?slide=2&lang=fr#top"


def test_la004_the_page_is_served_in_the_readers_language(app):
    client = app.server.test_client()
    page = client.get("/", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})
    assert HTML_LANG.search(page.get_data(as_text=True)).group(1) == "fr"
    assert "Accept-Language" in page.headers.get("Vary", "")
    page = client.get("/", headers={"Accept-Language": "en"})
    assert HTML_LANG.search(page.get_data(as_text=True)).group(1) == "en"


def test_la005_a_lang_parameter_sets_the_cookie_that_later_requests_follow(app):
    client = app.server.test_client()
    first = client.get("/explore?lang=fr", headers={"Accept-Language": "en"})
    assert HTML_LANG.search(first.get_data(as_text=True)).group(1) == "fr"
    cookie = first.headers.get("Set-Cookie", "")
    assert cookie.startswith("lang=fr") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    later = client.get("/", headers={"Accept-Language": "en"})
    assert HTML_LANG.search(later.get_data(as_text=True)).group(1) == "fr"
    assert "Set-Cookie" not in later.headers  # nothing to change
    back = client.get("/?lang=en")
    assert HTML_LANG.search(back.get_data(as_text=True)).group(1) == "en"
    assert back.headers.get("Set-Cookie", "").startswith("lang=en")


def test_la006_a_forged_lang_is_ignored_not_an_error(app):
    client = app.server.test_client()
    page = client.get("/?lang=%3Cscript%3E", headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    assert HTML_LANG.search(page.get_data(as_text=True)).group(1) == "fr"
    assert "lang=" not in page.headers.get("Set-Cookie", "")


def test_la007_the_callback_guard_answers_in_the_readers_language(app):
    client = app.server.test_client()
    client.get("/")
    body = {"output": "explore-kpis.children", "inputs": "nope", "changedPropIds": []}
    english = client.post("/_dash-update-component", json=body, headers={"Accept-Language": "en"})
    french = client.post("/_dash-update-component", json=body, headers={"Accept-Language": "fr"})
    assert english.status_code == french.status_code == 400
    assert english.get_json()["message"] == "callback request field 'inputs' must be a list"
    assert french.get_json()["message"] == "le champ 'inputs' de la requête de rappel doit être une liste"


def test_la008_steward_refusals_are_written_in_the_readers_language():
    from dashboard.steward.publish import PublishError
    from dashboard.steward.uploads import UploadError

    refused = PublishError(
        "steward.error.at_stage", note=lambda lang: f"[{lang}]", reason=PublishError("steward.error.busy")
    )
    assert str(refused).startswith("[en]: another publish or rollback is in progress")
    assert refused.text("fr").startswith("[fr]\u00a0: une autre publication")
    assert refused.texts()["fr"] == refused.text("fr")
    assert UploadError("steward.error.no_such").text("fr") == "Ce téléversement n'existe pas."


def test_la009_the_shell_speaks_the_readers_language_and_offers_the_other(app):
    import json

    client = app.server.test_client()
    french = client.get("/_dash-layout", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    english = client.get("/_dash-layout", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Passer au contenu principal" in french and "Skip to main content" not in french
    assert "Skip to main content" in english
    layout = json.loads(french)
    found = []

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props", {})
            if props.get("id") == "lang-switch":
                found.append(props)
            for value in props.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(layout)
    assert found and found[0]["lang"] == "en" and found[0]["children"] == "English"
    assert "lang=en" in found[0]["href"]
    assert "\\u002fexplore?lang=fr" in french  # navigation keeps the reader's language (JSON escapes "/")


def test_la010_page_titles_follow_the_reader(app):
    client = app.server.test_client()
    french = client.get("/explore", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    english = client.get("/explore", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert french.split("<title>")[1].split("</title>")[0] != english.split("<title>")[1].split("</title>")[0]


def test_la011_the_login_and_steward_pages_have_the_switch_too(app):
    client = app.server.test_client()
    page = client.get("/login?next=/steward&lang=fr").get_data(as_text=True)
    assert '<html lang="fr">' in page and "Mot de passe" in page
    switch = re.search(r'<a id="lang-switch"[^>]*href="([^"]+)"[^>]*lang="en"[^>]*>English</a>', page)
    assert switch, page[:1500]
    assert "lang=en" in switch.group(1) and "next=%2Fsteward" in switch.group(1).replace("/steward", "%2Fsteward")
    english = client.get(switch.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert '<html lang="en">' in english and ">Français</a>" in english


def test_la012_page_layouts_take_the_readers_language_when_their_query_names_none(app):
    """A page opened without ``lang=`` is in the negotiated language (it was English on /voices and /network)."""
    import dash

    for page in dash.page_registry.values():
        with app.server.test_request_context(page["path"], headers={"Cookie": "lang=fr"}):
            layout = page["layout"]()
            text = json.dumps(layout.to_plotly_json(), default=lambda o: o.to_plotly_json(), ensure_ascii=False)
            from dashboard import language as lang_module

            assert lang_module.current() == "fr", page["path"]
            assert text, page["path"]


def test_la013_the_shells_switch_points_at_the_page_the_reader_is_on_not_at_the_layout_request(app):
    client = app.server.test_client()
    page = "http://localhost/explore?wave=2018&lang=fr"
    layout = client.get("/_dash-layout", headers={"Referer": page}).get_data(as_text=True)
    # an English reader (no cookie yet) is offered this very view in French
    assert "\\u002fexplore?wave=2018&lang=fr" in layout, layout[:300]
    elsewhere = client.get("/_dash-layout", headers={"Referer": "https://evil.example/x?lang=fr"}).get_data(
        as_text=True
    )
    assert "evil.example" not in elsewhere and "_dash-layout?lang" not in elsewhere


def test_la014_language_tags_in_any_case_and_with_a_region_are_understood():
    assert [L.valid(v) for v in ("fr", "FR", "fr-CA", "fr_ca", "En-GB")] == ["fr", "fr", "fr", "fr", "en"]
    assert [L.valid(v) for v in ("de", "", "f", "fr" + "-x" * 20, None, ["fr"])] == [None] * 6


def test_la015_a_pages_requests_follow_the_page_not_a_cookie_another_tab_changed(app):
    # tab A shows /explore?lang=en; tab B opened /explore?lang=fr and so set the cookie to French. Tab A's next
    # callback names its page's language in the header (assets/lang-header.js) and is answered in English.
    client = app.server.test_client()
    client.get("/explore?lang=fr")
    body = {"output": "explore-kpis.children", "inputs": "nope", "changedPropIds": []}
    by_cookie = client.post("/_dash-update-component", json=body)
    by_page = client.post("/_dash-update-component", json=body, headers={L.HEADER: "en"})
    assert by_cookie.get_json()["message"] == "le champ 'inputs' de la requête de rappel doit être une liste"
    assert by_page.get_json()["message"] == "callback request field 'inputs' must be a list"
    assert L.HEADER in by_page.headers.get("Vary", "")


def test_la016_repeated_lang_parameters_take_the_first_that_is_a_language(app):
    page = app.server.test_client().get("/?lang=de&lang=fr")
    assert HTML_LANG.search(page.get_data(as_text=True)).group(1) == "fr"


def test_la017_the_plain_pages_links_and_the_stewards_login_redirect_keep_the_language(app, accounts):
    from tests.conftest import log_in

    client = app.server.test_client()
    page = client.get("/login?lang=fr").get_data(as_text=True)
    assert 'href="/?lang=fr"' in page  # the title and "back" links
    assert 'href="/"' not in page
    sent = client.get("/steward?lang=fr")
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/login?next=/steward&lang=fr")
    english = app.server.test_client().get("/steward", headers={"Accept-Language": "en"})
    assert english.headers["Location"].endswith("/login?next=/steward&lang=en")
    steward = app.server.test_client()
    assert log_in(steward, accounts["steward"]).status_code == 303
    page = steward.get("/steward?lang=fr").get_data(as_text=True)
    assert 'href="/steward/dictionary?lang=fr"' in page and 'href="/logout?lang=fr"' in page


def test_la018_the_switch_on_the_answer_to_a_form_opens_the_page_the_form_is_on(app, accounts):
    """A steward's upload, publish or rollback answers a POST: the switch must not point at the POST's address."""
    from tests.conftest import csrf_token, log_in

    steward = app.server.test_client()
    assert log_in(steward, accounts["steward"]).status_code == 303
    token = csrf_token(steward, "/steward?lang=fr")
    answer = steward.post("/steward/upload?lang=fr", data={"csrf_token": token})  # no file: refused, in French
    page = answer.get_data(as_text=True)
    switch = re.search(r'<a id="lang-switch"[^>]*href="([^"]+)"', page)
    assert switch and switch.group(1).replace("&amp;", "&") == "/steward?lang=en", page[:2000]
    assert steward.get(switch.group(1).replace("&amp;", "&")).status_code == 200


def test_la019_logging_in_and_out_keeps_the_forms_language(app, accounts):
    """The French login form lands on a French page even when another tab set the cookie to English."""
    from tests.conftest import csrf_token

    client = app.server.test_client()
    token = csrf_token(client, "/login?next=/explore&lang=fr")
    client.set_cookie("lang", "en")  # another tab switched to English meanwhile
    login = accounts["coalition"]
    response = client.post(
        "/login",
        data={
            "csrf_token": token,
            "username": login.username,
            "password": login.password,
            "next": "/explore",
            "lang": "fr",
        },
    )
    assert response.status_code == 303 and response.headers["Location"] == "/explore?lang=fr"
    page = client.get("/logout?lang=fr").get_data(as_text=True)
    assert '<input type="hidden" name="lang" value="fr">' in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.set_cookie("lang", "en")
    out = client.post("/logout", data={"csrf_token": token, "lang": "fr"})
    assert out.status_code == 303 and out.headers["Location"] == "/?lang=fr"
