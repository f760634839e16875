"""The files API in-process: every error, isolation, content shapes, ms:// media in chat."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server.config import Settings
from mock_server.ids import xid_time
from tests.conftest import make_client
from tests.sample_documents import make_scanned_pdf

OTHER = {"Authorization": "Bearer sk-another-account"}
TOO_LARGE_1MB = "File size is too large, max file size is 1MB, please confirm and re-upload the file"


def upload(client: TestClient, name: str, data: bytes, purpose: str = "file-extract",
           **kwargs: Any) -> Any:
    return client.post("/v1/files", files={"file": (name, data)}, data={"purpose": purpose}, **kwargs)


def error(response: Any) -> tuple[int, str, str]:
    body = response.json()["error"]
    assert set(body) == {"message", "type"}
    return response.status_code, body["type"], body["message"]


def test_upload_answers_the_real_file_object(client: TestClient, settings: Settings) -> None:
    response = upload(client, "说明.md", "# 标题\n内容".encode())
    body = response.json()
    assert response.status_code == 200
    assert list(body) == ["id", "object", "bytes", "created_at", "filename", "purpose", "status",
                          "status_details"]
    assert body["bytes"] == len("# 标题\n内容".encode()) and body["filename"] == "说明.md"
    assert (body["object"], body["status"], body["status_details"]) == ("file", "ok", "")
    assert len(body["id"]) == 20 and xid_time(body["id"]) == body["created_at"] == 1_793_491_200


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"content": b'{"purpose": "file-extract"}', "headers": {"content-type": "application/json"}},
     "Invalid request: the body must be multipart/form-data with the fields file and purpose"),
    ({"data": {"purpose": "file-extract"}, "files": {"other": ("a.txt", b"x")}},
     "Invalid request: the multipart field 'file' is required"),
    ({"content": b'--b\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc',
      "headers": {"content-type": "multipart/form-data; boundary=b"}},
     "Invalid request: the multipart body ended before its closing boundary"),
    ({"content": b"--b--\r\n", "headers": {"content-type": "multipart/form-data"}},
     "Invalid request: the multipart/form-data Content-Type has no boundary"),
    ({"data": {"purpose": "assistants"}, "files": {"file": ("a.txt", b"x")}},
     "Invalid purpose: only 'file-extract', 'image', 'video' or 'batch' accepted"),
    ({"files": {"file": ("a.txt", b"x")}},
     "Invalid purpose: only 'file-extract', 'image', 'video' or 'batch' accepted"),
    ({"data": {"purpose": "file-extract"}, "files": {"file": ("a.txt", b"")}},
     "File size is zero, please confirm and re-upload the file"),
])
def test_bad_uploads_are_400_and_keep_nothing(client: TestClient, kwargs: dict[str, Any],
                                              message: str) -> None:
    assert error(client.post("/v1/files", **kwargs)) == (400, "invalid_request_error", message)
    assert client.get("/v1/files").json() == {"object": "list", "data": []}


def test_one_byte_over_the_limit_is_refused_exactly_at_it_accepted(settings: Settings) -> None:
    with make_client(settings, file_max_bytes=1024 * 1024) as client:
        over = upload(client, "big.txt", b"a" * (1024 * 1024 + 1))
        assert error(over) == (400, "invalid_request_error", TOO_LARGE_1MB)
        assert client.get("/v1/files").json()["data"] == []
        assert upload(client, "big.txt", b"a" * 1024 * 1024).json()["bytes"] == 1024 * 1024


def test_count_and_total_limits(settings: Settings) -> None:
    with make_client(settings, file_max_count=2, file_max_total_bytes=10) as client:
        assert upload(client, "a.txt", b"12345").status_code == 200
        assert error(upload(client, "b.txt", b"123456")) == (
            400, "invalid_request_error", "The total size of the files you have uploaded exceeded "
            "the max total size 10B, please delete previous uploaded files")
        assert upload(client, "b.txt", b"12345").status_code == 200
        assert error(upload(client, "c.txt", b"1")) == (
            400, "invalid_request_error", "The number of files you have uploaded exceeded the max "
            "file count 2, please delete previous uploaded files")
        assert upload(client, "c.txt", b"1", headers=OTHER).status_code == 200  # per account


def test_unknown_ids_are_404_on_every_operation(client: TestClient) -> None:
    file_id = upload(client, "a.txt", b"x").json()["id"]
    assert client.delete(f"/v1/files/{file_id}").json() == {"id": file_id, "object": "file",
                                                            "deleted": True}
    expected = (404, "resource_not_found_error", f"Not found the file {file_id} or Permission denied")
    for method, path in (("GET", ""), ("GET", "/content"), ("DELETE", "")):
        assert error(client.request(method, f"/v1/files/{file_id}{path}")) == expected
    assert error(client.get("/v1/files/not-an-id"))[0] == 404


def test_accounts_never_see_each_others_files(client: TestClient) -> None:
    file_id = upload(client, "secret.txt", b"mine").json()["id"]
    assert client.get("/v1/files", headers=OTHER).json()["data"] == []
    for method, path in (("GET", ""), ("GET", "/content"), ("DELETE", "")):
        assert client.request(method, f"/v1/files/{file_id}{path}", headers=OTHER).status_code == 404
    assert client.get(f"/v1/files/{file_id}").status_code == 200


def test_list_is_newest_first(client: TestClient) -> None:
    ids = [upload(client, f"{n}.txt", b"x").json()["id"] for n in range(3)]
    client.app.state.services.clock.advance(5)  # type: ignore[attr-defined]
    ids.append(upload(client, "later.txt", b"x").json()["id"])
    assert [f["id"] for f in client.get("/v1/files").json()["data"]] == ids[::-1]


def test_content_document_bytes(client: TestClient) -> None:
    file_id = upload(client, "笔记.txt", "第一行\n\"quoted\"".encode()).json()["id"]
    response = client.get(f"/v1/files/{file_id}/content")
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.content == ('{"content":"第一行\\n\\"quoted\\"","file_type":"text/plain",'
                                '"filename":"笔记.txt","title":"","type":"file"}').encode()


def test_large_content_is_streamed_with_the_same_bytes(client: TestClient) -> None:
    text = ("长文本 line\n" * 150_000)
    file_id = upload(client, "long.txt", text.encode()).json()["id"]
    response = client.get(f"/v1/files/{file_id}/content")
    assert "content-length" not in response.headers
    assert response.json() == {"content": text, "file_type": "text/plain", "filename": "long.txt",
                               "title": "", "type": "file"}


def test_unreadable_file_is_stored_with_status_error_and_its_content_is_500(client: TestClient) -> None:
    body = upload(client, "scan.pdf", make_scanned_pdf()).json()
    assert (body["status"], body["status_details"]) == (
        "error", "the PDF has no text layer (scanned pages need OCR, which this server does not run)")
    assert error(client.get(f"/v1/files/{body['id']}/content")) == (
        500, "server_error", "Failed to extract file: " + body["status_details"])


def test_image_upload_content_is_its_bytes(client: TestClient) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(200))
    body = upload(client, "cat.png", png, purpose="image").json()
    assert (body["purpose"], body["status"]) == ("image", "ok")
    response = client.get(f"/v1/files/{body['id']}/content")
    assert response.content == png
    assert response.headers["content-type"] == "application/octet-stream"


def chat(client: TestClient, url: str, kind: str = "image_url", **kwargs: Any) -> Any:
    part = {"type": kind, kind: {"url": url}}
    return client.post("/v1/chat/completions", json={
        "model": "kimi-k2.5", "messages": [{"role": "user", "content": [
            {"type": "text", "text": "描述一下"}, part]}]}, **kwargs)


def test_ms_urls_resolve_against_the_callers_files(client: TestClient) -> None:
    image_id = upload(client, "cat.png", b"\x89PNG\r\n\x1a\n", purpose="image").json()["id"]
    doc_id = upload(client, "a.txt", b"x").json()["id"]
    assert chat(client, f"ms://{image_id}").status_code == 200
    assert error(chat(client, f"ms://{image_id}", headers=OTHER)) == (
        404, "resource_not_found_error", f"Not found the file {image_id} or Permission denied")
    assert error(chat(client, f"ms://{doc_id}")) == (
        400, "invalid_request_error", f"Invalid request: file {doc_id} was uploaded with purpose "
        "'file-extract', image_url needs purpose 'image'")
    assert error(chat(client, f"ms://{image_id}", kind="video_url"))[0] == 400


def test_after_pages_past_a_listed_id_so_sdk_iteration_ends(client: TestClient) -> None:
    ids = [upload(client, f"{n}.txt", b"x").json()["id"] for n in range(3)][::-1]
    assert [f["id"] for f in client.get("/v1/files", params={"after": ids[0]}).json()["data"]] == ids[1:]
    assert client.get("/v1/files", params={"after": ids[-1]}).json()["data"] == []


def listed_ids(client: TestClient, **params: Any) -> list[str]:
    response = client.get("/v1/files", params=params)
    assert response.status_code == 200, response.text
    return [f["id"] for f in response.json()["data"]]


def test_the_list_honours_limit_order_and_after(client: TestClient) -> None:
    ids = [upload(client, f"{n}.txt", b"x").json()["id"] for n in range(4)][::-1]  # newest first
    assert listed_ids(client) == ids
    assert listed_ids(client, limit=2) == ids[:2]
    assert listed_ids(client, limit=2, after=ids[1]) == ids[2:]
    assert listed_ids(client, order="asc") == ids[::-1]
    assert listed_ids(client, order="asc", limit=1, after=ids[-1]) == [ids[-2]]
    assert listed_ids(client, order="desc", limit=10_000) == ids


@pytest.mark.parametrize(("params", "expected"), [
    ({"limit": "0"}, (400, "invalid_request_error",
                      "Invalid request: limit must be an integer between 1 and 10000, got '0'")),
    ({"limit": "ten"}, (400, "invalid_request_error",
                        "Invalid request: limit must be an integer between 1 and 10000, got 'ten'")),
    ({"limit": "10001"}, (400, "invalid_request_error",
                          "Invalid request: limit must be an integer between 1 and 10000, "
                          "got '10001'")),
    ({"order": "newest"}, (400, "invalid_request_error",
                           "Invalid request: order must be 'asc' or 'desc', got 'newest'")),
    ({"after": "garbage"}, (404, "resource_not_found_error",
                            "Not found the file garbage or Permission denied")),
])
def test_bad_list_parameters_are_refused(client: TestClient, params: dict[str, str],
                                         expected: tuple[int, str, str]) -> None:
    upload(client, "a.txt", b"x")
    assert error(client.get("/v1/files", params=params)) == expected


def test_after_naming_another_accounts_file_is_not_found(client: TestClient) -> None:
    theirs = upload(client, "a.txt", b"x", headers=OTHER).json()["id"]
    assert error(client.get("/v1/files", params={"after": theirs}))[0] == 404
