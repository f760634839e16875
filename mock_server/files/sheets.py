"""Text out of spreadsheets (XLSX, and legacy XLS), read with python-calamine: one line per row,
cells tab-separated, every column from A kept (an empty cell is an empty field), dates as ISO
dates, whole numbers without `.0`. An XLSX archive is inflated once within the bounds first:
the reader loads a sheet whole, so it only ever sees an archive known to fit."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, BinaryIO

from mock_server.files.archive import BoundedArchive
from mock_server.files.documents import core_title
from mock_server.files.limits import ExtractLimits


def cell_text(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return "" if value is None else str(value)


def rows_text(rows: Iterable[list[Any]]) -> str:
    lines = ["\t".join(cell_text(cell) for cell in row).rstrip("\t") for row in rows]
    return "\n".join(lines).strip("\n")


def workbook_text(stream: BinaryIO) -> str:
    from python_calamine import CalamineError, CalamineWorkbook  # on the first spreadsheet

    try:
        book = CalamineWorkbook.from_filelike(stream)
        sheets = [rows_text(book.get_sheet_by_name(name).iter_rows()) for name in book.sheet_names]
    except (CalamineError, OSError) as exc:  # a damaged workbook reads as a damaged file
        raise ValueError(str(exc) or type(exc).__name__) from exc
    return "\n\n".join(sheet for sheet in sheets if sheet.strip())


def xlsx_text(stream: BinaryIO, limits: ExtractLimits) -> tuple[str, str]:
    with BoundedArchive(stream, limits) as archive:
        archive.inflate_all()
        title = core_title(archive, limits.max_depth)
    stream.seek(0)
    return workbook_text(stream), title


def xls_text(stream: BinaryIO, limits: ExtractLimits) -> tuple[str, str]:
    return workbook_text(stream), ""
