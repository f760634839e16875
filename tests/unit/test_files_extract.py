"""Extraction: real documents made here, Chinese text intact, unreadable formats as errors."""

from __future__ import annotations

import codecs
import datetime
import io

import pytest

from mock_server.files.extract import Extraction, extract
from mock_server.files.storage.memory import SpoolBlob
from tests.sample_documents import make_docx, make_pdf, make_pptx, make_scanned_pdf, make_xlsx

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def run(filename: str, data: bytes, threshold: int = 1024 * 1024) -> tuple[Extraction, str | None]:
    raw = SpoolBlob(threshold)
    raw.write(data)
    result, text = extract(raw, filename, lambda: SpoolBlob(threshold))
    return result, text.open().read().decode() if text is not None else None


@pytest.mark.parametrize(("filename", "data", "mime", "content"), [
    ("notes.txt", "你好，世界\nline 2\n".encode(), "text/plain", "你好，世界\nline 2\n"),
    ("README.md", "# 标题\n\n- item".encode(), "text/markdown", "# 标题\n\n- item"),
    ("table.csv", "名字,age\n李雷,18\n".encode(), "text/csv", "名字,age\n李雷,18\n"),
    ("data.json", '{"键": [1, 2]}'.encode(), "application/json", '{"键": [1, 2]}'),
    ("main.py", b"def f():\n    return 1\n", "text/x-python", "def f():\n    return 1\n"),
    ("bom.txt", codecs.BOM_UTF8 + "带 BOM".encode(), "text/plain", "带 BOM"),
    ("legacy.txt", "简体中文 GB18030".encode("gb18030"), "text/plain", "简体中文 GB18030"),
    ("wide.txt", "UTF-16 文本".encode("utf-16"), "text/plain", "UTF-16 文本"),
    ("upload", "没有扩展名".encode(), "text/plain", "没有扩展名"),
    ("page.html", "<html><head><title>页</title><style>p{}</style></head><body><h1>标题</h1>"
                  "<p>Hello <b>世界</b> &amp; more</p><script>var x=1;</script></body></html>".encode(),
     "text/html", "标题\n\nHello 世界 & more"),
    ("report.pdf", make_pdf([["Quarterly report", "收入增长 12%"], ["第二页"]]),
     "application/pdf", "Quarterly report\n收入增长 12%\n\n第二页"),
    ("合同.docx", make_docx(["甲方：月之暗面", "Party B: <ACME> & Co"]), DOCX_TYPE,
     "甲方：月之暗面\nParty B: <ACME> & Co"),
    ("deck.pptx", make_pptx(["第一页", "slide two"]),
     "application/vnd.openxmlformats-officedocument.presentationml.presentation", "第一页\n\nslide two"),
    ("sheet.xlsx", make_xlsx([["名字", "age"], ["李雷", "18"]]),
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "名字\tage\n李雷\t18"),
])
def test_readable_documents_give_their_text(filename: str, data: bytes, mime: str, content: str) -> None:
    result, text = run(filename, data)
    assert (result.status, result.status_details, result.file_type) == ("ok", "", mime)
    assert text == content


def test_titles_come_from_document_metadata() -> None:
    assert run("a.pdf", make_pdf([["x"]], title="年度报告"))[0].title == "年度报告"
    assert run("a.docx", make_docx(["x"], title="合同 v2"))[0].title == "合同 v2"
    assert run("a.html", b"<title>T</title><p>x</p>")[0].title == "T"
    assert run("a.txt", b"x")[0].title == ""


def test_large_text_is_decoded_across_chunk_boundaries() -> None:
    text = "汉字" * 300_000  # 1.8 MB of 3-byte characters: chunk edges split characters
    result, extracted = run("big.txt", text.encode(), threshold=4096)
    assert result.status == "ok" and extracted == text


@pytest.mark.parametrize(("filename", "data", "details"), [
    ("scan.pdf", make_scanned_pdf(), "the PDF has no text layer (scanned pages need OCR, which "
                                     "this server does not run)"),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "no text found in the image (OCR of images is "
                                                     "not available on this server)"),
    ("photo", b"\xff\xd8\xff\xe0" + bytes(64), "no text found in the image (OCR of images is not "
                                               "available on this server)"),
    ("blob.bin", b"\x00\x01\x02\xff" * 10, "the file is not a document this server can read"),
    ("old.doc", b"\xd0\xcf\x11\xe0" + bytes(64),
     "text extraction from application/msword files is not supported by this server; upload it "
     "as PDF, DOCX, PPTX, XLSX or plain text"),
    ("broken.pdf", b"%PDF-1.7\nthis is not a pdf", None),
    ("broken.docx", b"PK\x03\x04 not a zip", None),
    ("bad.txt", bytes(range(128, 256)) * 2, "the file is not text in an encoding this server "
                                             "recognises (UTF-8, UTF-16, GB18030, Big5, Shift-JIS, …)"),
])
def test_unreadable_files_end_as_status_error(filename: str, data: bytes, details: str | None) -> None:
    result, text = run(filename, data)
    assert result.status == "error" and text is None
    if details is not None:
        assert result.status_details == details
    assert result.status_details


def test_broken_documents_say_which_format_failed() -> None:
    assert run("x.docx", b"PK\x03\x04 nope")[0].status_details.startswith(
        "the file cannot be read as DOCX: ")
    assert run("x.pdf", b"%PDF-1.4 nope")[0].status_details.startswith(
        "the file cannot be read as PDF: ")


def test_xlsx_dates_read_as_dates_and_empty_columns_stay() -> None:
    """A date cell is an ISO date (not its serial number 46053), and an empty column B keeps
    its place, so the columns after it still line up with their header."""
    data = make_xlsx([["名字", "", "日期", "分数"], ["李雷", "", datetime.date(2026, 1, 31), 18.5],
                      ["韩梅梅", "", datetime.date(2026, 2, 1), 20]])
    assert run("scores.xlsx", data)[1] == (
        "名字\t\t日期\t分数\n李雷\t\t2026-01-31\t18.5\n韩梅梅\t\t2026-02-01\t20")


def test_legacy_xls_is_read() -> None:
    import xlwt  # test-only: writes the legacy BIFF format

    book = xlwt.Workbook()
    sheet = book.add_sheet("成绩")
    for col, value in enumerate(["名字", "", "日期"]):
        sheet.write(0, col, value)
    sheet.write(1, 0, "李雷")
    sheet.write(1, 2, datetime.date(2026, 1, 31), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    out = io.BytesIO()
    book.save(out)
    result, text = run("old.xls", out.getvalue())
    assert (result.status, result.file_type) == ("ok", "application/vnd.ms-excel")
    assert text == "名字\t\t日期\n李雷\t\t2026-01-31"


@pytest.mark.parametrize(("encoding", "text"), [
    ("shift_jis", "日本語のテキストです。これはテストファイルです。東京都の天気は晴れです。"),
    ("big5", "這是一個繁體中文的測試文件，台灣的天氣很好，我們明天見。"),
    ("gb18030", "这是一个简体中文的测试文件，北京的天气很好，我们明天见。"),
    ("euc_kr", "이것은 한국어 테스트 파일입니다. 서울의 날씨는 맑습니다."),
])
def test_legacy_encodings_are_detected_not_read_as_gb18030(encoding: str, text: str) -> None:
    result, content = run("legacy.txt", text.encode(encoding))
    assert (result.status, content) == ("ok", text)
