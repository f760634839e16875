"""Bounded work for every document: each extraction limit, passed by a hostile file made small
here, ends the upload as status "error" naming the limit (never a 500, never unbounded memory)."""

from __future__ import annotations

import pytest

from mock_server.files.extract import Extraction, extract
from mock_server.files.limits import ExtractLimits
from mock_server.files.storage.memory import SpoolBlob
from tests import bombs
from tests.sample_documents import make_docx, make_pdf, make_pptx, make_xlsx

MB = bombs.MB
SMALL = ExtractLimits(max_unzipped_bytes=MB, max_entries=10, max_pages=2, max_depth=64)


def run(filename: str, data: bytes, limits: ExtractLimits = SMALL) -> tuple[Extraction, str | None]:
    raw = SpoolBlob(MB)
    raw.write(data)
    result, text = extract(raw, filename, lambda: SpoolBlob(MB), limits)
    return result, text.open().read().decode() if text is not None else None


def refused(result: Extraction, kind: str, setting: str) -> None:
    assert result.status == "error", result
    assert result.status_details.startswith(f"the file cannot be read as {kind}: ")
    assert result.status_details.endswith(f"({setting})"), result.status_details


def test_the_gigabyte_docx_bomb_is_refused_at_the_default_limit() -> None:
    """1 MB on disk, 1 GB inflated: refused at 100 MB inflated, never held whole."""
    bomb = bombs.docx_bomb(1024 * MB)
    assert len(bomb) < 2 * MB
    result, text = run("bomb.docx", bomb, ExtractLimits())
    refused(result, "DOCX", "extract_max_unzipped_bytes")
    assert "over the limit of 104857600" in result.status_details and text is None


@pytest.mark.parametrize(("filename", "bomb", "kind"), [
    ("a.docx", bombs.docx_bomb, "DOCX"), ("b.docx", bombs.docx_paragraphs_bomb, "DOCX"),
    ("c.pptx", bombs.pptx_bomb, "PPTX"), ("d.xlsx", bombs.xlsx_bomb, "XLSX"),
])
def test_unzipped_size_is_capped_for_every_office_format(filename: str, bomb: object,
                                                          kind: str) -> None:
    result, _ = run(filename, bomb(2 * MB))  # type: ignore[operator]
    refused(result, kind, "extract_max_unzipped_bytes")


def test_sizes_are_counted_while_inflating_not_taken_from_the_archive() -> None:
    """The central directory says 10 bytes; the part inflates to 2 MB: refused all the same."""
    result, text = run("liar.docx", bombs.lying_docx(2 * MB))
    assert result.status == "error" and text is None
    assert "cannot be read as DOCX" in result.status_details


def test_member_count_is_capped() -> None:
    refused(run("many.docx", bombs.many_members(11))[0], "DOCX", "extract_max_entries")
    assert run("ten.docx", bombs.many_members(10))[0].status == "ok"


def test_xml_nesting_is_capped() -> None:
    refused(run("deep.docx", bombs.deep_docx(64))[0], "DOCX", "extract_max_depth")
    result, text = run("shallow.docx", bombs.deep_docx(58))
    assert (result.status, text) == ("ok", "deep")


def test_pdf_pages_are_capped() -> None:
    refused(run("long.pdf", bombs.pdf_pages(3))[0], "PDF", "extract_max_pages")
    assert run("two.pdf", make_pdf([["one"], ["two"]]))[1] == "one\n\ntwo"


def test_a_pdf_that_understates_its_page_count_is_refused() -> None:
    liar = bombs.pdf_pages(3).replace(b"/Count 3", b"/Count 1")
    refused(run("liar.pdf", liar)[0], "PDF", "extract_max_pages")


def test_a_pdf_stream_that_inflates_past_the_limit_is_refused() -> None:
    refused(run("bomb.pdf", bombs.pdf_stream_bomb(4 * MB))[0], "PDF", "extract_max_unzipped_bytes")


def test_documents_within_the_limits_still_read() -> None:
    assert run("a.docx", make_docx(["one", "two"]))[1] == "one\ntwo"
    assert run("b.pptx", make_pptx(["one", "two"]))[1] == "one\n\ntwo"
    assert run("c.xlsx", make_xlsx([["x", 1]]))[1] == "x\t1"


def test_xml_entity_expansion_is_refused() -> None:
    """A billion-laughs document.xml: expat's own amplification guard stops it."""
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))
    text = (f'<?xml version="1.0"?><!DOCTYPE w:document [{lol}]>'
            f'<w:document xmlns:w="{bombs.W_NS}"><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p>'
            "</w:body></w:document>")
    import io
    import zipfile
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", text)
    result, _ = run("lol.docx", out.getvalue(), ExtractLimits())
    assert result.status == "error" and "cannot be read as DOCX" in result.status_details
