"""The official web tools (reference §17.6) as a client sees them: the documented fields and
limits (400s naming the field), the same query giving the same results, billing once per
successful non-empty call (empty and failed calls free, as the balance shows), scripted results
from the settings and the control plane, faults and the journal as on every route."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.config import AccountConfig, Settings

SEARCH, PRO, FETCH = "/v1/tools/search", "/v1/tools/search_pro", "/v1/tools/fetch"


def make(**settings: Any) -> TestClient:
    client = TestClient(create_app(Settings(**{"seed": 3, "clock": "virtual", **settings})))
    client.headers["Authorization"] = "Bearer sk-tools"
    return client


def balance(client: TestClient) -> float:
    return client.get("/v1/users/me/balance").json()["data"]["available_balance"]


@pytest.mark.parametrize(("path", "body"), [
    (SEARCH, {"text_query": "kimi k3 release", "limit": 3, "include_content": True}),
    (PRO, {"text_query": "长江", "sites": ["www.zhihu.com"], "time_window": {"start": "2025"}}),
    (FETCH, {"url": "https://example.com/docs"}),
])
def test_the_same_query_gives_the_same_answer_and_is_billed_once(path: str, body: Any) -> None:
    client = make()
    first = client.post(path, json=body)
    assert first.status_code == 200
    assert make().post(path, json=body).json() == first.json()
    assert balance(client) == pytest.approx(100 - 0.005)


def test_search_results_have_the_documented_fields() -> None:
    results = make().post(SEARCH, json={"text_query": "rust async", "limit": 4}).json()
    assert len(results["search_results"]) <= 4
    for result in results["search_results"]:
        assert set(result) == {"title", "url", "snippet", "site_name", "date", "icon", "mime",
                               "authority", "text"}
        assert result["text"] == "" and result["url"].startswith("https://")
    with_text = make().post(SEARCH, json={"text_query": "rust async", "include_content": True})
    assert all(r["text"] for r in with_text.json()["search_results"])


def test_search_pro_keeps_to_its_sites_and_window_and_scores_chunks() -> None:
    body = {"text_query": "context caching", "limit": 5, "sites": ["github.com", "arxiv.org"],
            "time_window": {"start": "2025-03", "end": "2025-06-15"}}
    for result in make().post(PRO, json=body).json()["search_results"]:
        assert result["url"].split("/")[2] in ("github.com", "arxiv.org")
        assert "2025-03-01" <= result["date"] <= "2025-06-15"
        scores = [chunk["score"] for chunk in result["chunks"]]
        assert scores == sorted(scores, reverse=True) and "text" not in result


@pytest.mark.parametrize(("path", "body", "message"), [
    (SEARCH, {}, "Invalid request: text_query is required"),
    (SEARCH, {"text_query": ""}, "Invalid request: text_query must be at least 1 character long"),
    (SEARCH, {"text_query": "x", "limit": 21}, "Invalid request: limit must be less than or equal to 20"),
    (SEARCH, {"text_query": "x", "limit": 0}, "Invalid request: limit must be greater than or equal to 1"),
    (SEARCH, {"text_query": "x", "timeout_seconds": 61},
     "Invalid request: timeout_seconds must be less than or equal to 60"),
    (SEARCH, {"text_query": "x", "include_content": "yes"},
     "Invalid request: include_content must be a boolean or null"),
    (PRO, {"text_query": "x", "sites": list("abcdef")}, "Invalid request: sites must have at most 5 items"),
    (PRO, {"text_query": "x", "sites": ["a b"]}, "Invalid request: sites[0] must match pattern ^[^\\s()]+$"),
    (PRO, {"text_query": "x", "time_window": {"start": "2026", "end": "2025-12"}},
     "Invalid request: time_window.start must not be later than time_window.end"),
    (PRO, {"text_query": "x", "time_window": {"start": "2026-13"}},
     "Invalid request: time_window.start is not a valid date (month must be in 1..12)"),
    (FETCH, {"url": "ftp://example.com/x"},
     "Invalid request: url must match pattern ^[hH][tT][tT][pP][sS]?://[^\\s]+$"),
])
def test_bad_fields_are_400s_naming_the_field_and_free(path: str, body: Any, message: str) -> None:
    client = make()
    answer = client.post(path, json=body)
    assert answer.status_code == 400
    assert answer.json() == {"error": {"message": message, "type": "invalid_request_error"}}
    assert balance(client) == 100


SCRIPT = [{"query": "moonshot pricing", "results": [
              {"title": "Pricing", "url": "https://platform.kimi.ai/docs/pricing", "snippet": "Prices."}]},
          {"query": "nothing here", "results": []},
          {"url": "https://example.com/", "page": {"title": "Example", "markdown": "# Example"}}]


def test_scripted_results_from_the_settings_answer_and_an_empty_one_is_free() -> None:
    client = TestClient(create_app(Settings(seed=3, clock="virtual",
                                            web_results=_script(SCRIPT))))
    client.headers["Authorization"] = "Bearer sk-tools"
    found = client.post(SEARCH, json={"text_query": "moonshot pricing"}).json()["search_results"]
    assert [(r["title"], r["url"], r["snippet"], r["site_name"]) for r in found] == [
        ("Pricing", "https://platform.kimi.ai/docs/pricing", "Prices.", "platform.kimi.ai")]
    assert client.post(PRO, json={"text_query": "moonshot pricing"}).json()["search_results"][0][
        "chunks"] == []
    assert client.post(SEARCH, json={"text_query": "nothing here"}).json() == {"search_results": []}
    assert client.post(FETCH, json={"url": "https://example.com/"}).json() == {
        "url": "https://example.com/", "title": "Example", "markdown": "# Example"}
    assert balance(client) == pytest.approx(100 - 3 * 0.005)


def _script(entries: Any) -> Any:
    from mock_server.config import settings_from_mapping
    return settings_from_mapping({"web_results": entries}).web_results


def test_the_control_plane_scripts_results_until_reset() -> None:
    client = make()
    added = client.post("/_mock/web_results", json=SCRIPT[0])
    assert added.status_code == 201
    answer = client.post(SEARCH, json={"text_query": "moonshot pricing"}).json()
    assert answer["search_results"][0]["title"] == "Pricing"
    assert client.get("/_mock/web_results").json()["data"][0]["query"] == "moonshot pricing"
    bad = client.post("/_mock/web_results", json={"query": "x", "results": [{"titel": "t"}]})
    assert bad.status_code == 400 and "body[0].results[0].titel" in bad.json()["error"]["message"]
    client.delete("/_mock/web_results")
    again = client.post(SEARCH, json={"text_query": "moonshot pricing"}).json()
    assert again["search_results"] == [] or again["search_results"][0]["title"] != "Pricing"


def test_a_bad_web_results_setting_names_the_field() -> None:
    from mock_server.config import ConfigError, settings_from_mapping
    with pytest.raises(ConfigError, match=r"web_results: \[0\] must have exactly one of"):
        settings_from_mapping({"web_results": [{"query": "a", "url": "b"}]})


def test_faults_and_the_journal_act_on_the_tools() -> None:
    client = make()
    answer = client.post(SEARCH, json={"text_query": "x"},
                         headers={"X-Mock-Fault": "error=engine_overloaded"})
    assert answer.status_code == 429
    assert balance(client) == 100
    client.post(FETCH, json={"url": "https://example.com/"})
    paths = [entry["path"] for entry in client.get("/_mock/journal").json()["data"]]
    assert SEARCH in paths and FETCH in paths


def test_no_balance_left_refuses_the_call() -> None:
    client = make(accounts=(AccountConfig(name="broke", keys=("sk-broke",), cash_balance=0.0),))
    client.headers["Authorization"] = "Bearer sk-broke"
    answer = client.post(SEARCH, json={"text_query": "x"})
    assert answer.status_code in (403, 429)
    assert answer.json()["error"]["type"] == "exceeded_current_quota_error"
