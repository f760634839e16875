"""The real `openai` SDK's files API against the fake over a real socket, with real documents."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import openai
import pytest
from openai import OpenAI

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.server.thread import serve_in_thread
from tests.conftest import API_KEY
from tests.sample_documents import make_docx, make_pdf

DOCUMENTS = {
    "季度报告.pdf": (make_pdf([["Revenue grew 12%", "收入增长百分之十二"]], title="Q3"),
                 "Revenue grew 12%\n收入增长百分之十二", "application/pdf"),
    "合同.docx": (make_docx(["甲方：月之暗面", "乙方：ACME"]), "甲方：月之暗面\n乙方：ACME",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "README.md": ("# 项目\n\n- 第一条\n- second".encode(), "# 项目\n\n- 第一条\n- second",
                  "text/markdown"),
    "中文.txt": ("床前明月光，疑是地上霜。\n举头望明月，低头思故乡。".encode(),
               "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。", "text/plain"),
}


@pytest.fixture(scope="module")
def files_url() -> Iterator[str]:
    with serve_in_thread(create_app(Settings(seed=5))) as url:
        yield url


@pytest.fixture
def sdk(files_url: str) -> OpenAI:
    # Not strict: the real API's file objects carry `purpose: file-extract` and `status: ok`,
    # which the SDK's OpenAI-only literals reject (the real API fails strict mode the same way).
    return OpenAI(base_url=f"{files_url}/v1", api_key=API_KEY, max_retries=0)


@pytest.mark.parametrize("filename", list(DOCUMENTS))
def test_create_retrieve_content_delete(sdk: OpenAI, filename: str) -> None:
    data, text, mime = DOCUMENTS[filename]
    created = sdk.files.create(file=(filename, data), purpose="file-extract")  # type: ignore[arg-type]
    assert (created.filename, created.bytes, created.status) == (filename, len(data), "ok")
    assert sdk.files.retrieve(created.id) == created
    assert created.id in [f.id for f in sdk.files.list()]
    document = json.loads(sdk.files.content(created.id).text)
    assert document == {"content": text, "file_type": mime, "filename": filename,
                        "title": "Q3" if filename.endswith(".pdf") else "", "type": "file"}
    deleted = sdk.files.delete(created.id)
    assert (deleted.id, deleted.deleted) == (created.id, True)
    with pytest.raises(openai.NotFoundError):
        sdk.files.retrieve(created.id)
    assert created.id not in [f.id for f in sdk.files.list()]


def test_content_pasted_into_a_chat_request(sdk: OpenAI) -> None:
    """The reference's pattern: the content document goes verbatim into a system message."""
    data = DOCUMENTS["季度报告.pdf"][0]
    file_object = sdk.files.create(file=("季度报告.pdf", data), purpose="file-extract")  # type: ignore[arg-type]
    content = sdk.files.content(file_object.id).text
    messages = [{"role": "system", "content": "你是 Kimi。"}, {"role": "system", "content": content},
                {"role": "user", "content": "总结一下这个文件"}]
    completion = sdk.chat.completions.create(model="moonshot-v1-32k", messages=messages)  # type: ignore[arg-type]
    without = sdk.chat.completions.create(model="moonshot-v1-32k",
                                          messages=[messages[0], messages[2]])  # type: ignore[list-item]
    assert completion.choices[0].message.content
    assert completion.usage is not None and without.usage is not None
    assert completion.usage.prompt_tokens > without.usage.prompt_tokens  # the document counts


def test_image_upload_is_usable_as_ms_url(sdk: OpenAI) -> None:
    image = sdk.files.create(file=("cat.png", b"\x89PNG\r\n\x1a\n" + bytes(32)), purpose="image")  # type: ignore[arg-type]
    parts = [{"type": "image_url", "image_url": {"url": f"ms://{image.id}"}},
             {"type": "text", "text": "这是什么？"}]
    completion = sdk.chat.completions.create(
        model="kimi-k2.5", messages=[{"role": "user", "content": parts}])  # type: ignore[list-item,misc]
    assert completion.choices[0].message.content
    with pytest.raises(openai.NotFoundError) as exc:
        sdk.chat.completions.create(model="kimi-k2.5", messages=[{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": "ms://d5aaaaaaaaaaaaaaaaa0"}}]}])
    assert exc.value.body == {"message": "Not found the file d5aaaaaaaaaaaaaaaaa0 or Permission denied",
                              "type": "resource_not_found_error"}


def test_default_limit_refuses_100mb_plus_one_byte(sdk: OpenAI) -> None:
    limit = 100 * 1024 * 1024
    with pytest.raises(openai.BadRequestError) as exc:
        sdk.files.create(file=("huge.txt", b"a" * (limit + 1)), purpose="file-extract")  # type: ignore[arg-type]
    assert exc.value.body == {"message": "File size is too large, max file size is 100MB, please "
                              "confirm and re-upload the file", "type": "invalid_request_error"}
    assert all(f.filename != "huge.txt" for f in sdk.files.list())


def test_200_concurrent_uploads_and_deletes_leave_a_consistent_list(files_url: str) -> None:
    headers = {"Authorization": "Bearer sk-concurrency-account"}

    async def scenario() -> tuple[set[str], set[str], list[str]]:
        limits = httpx.Limits(max_connections=50)
        async with httpx.AsyncClient(base_url=files_url, headers=headers, limits=limits,
                                     timeout=60) as client:
            async def one(n: int) -> tuple[str, bool]:
                response = await client.post("/v1/files", data={"purpose": "file-extract"},
                                             files={"file": (f"f{n}.txt", f"文件 {n}".encode())})
                file_id = response.json()["id"]
                if n % 2:
                    deleted = await client.delete(f"/v1/files/{file_id}")
                    assert deleted.json()["deleted"] is True
                return file_id, n % 2 == 0

            results = await asyncio.gather(*(one(n) for n in range(200)))
            listed = (await client.get("/v1/files")).json()["data"]
        kept = {file_id for file_id, keep in results if keep}
        gone = {file_id for file_id, keep in results if not keep}
        return kept, gone, [f["id"] for f in listed]

    kept, gone, listed = asyncio.run(scenario())
    assert len(kept) == 100 and len(gone) == 100
    assert sorted(listed) == sorted(kept) and len(listed) == len(set(listed))
