"""The request log line's time of day is the record's own second, made once a second."""

from __future__ import annotations

import io
import logging
import time

from mock_server.server.run import RequestLines


def record(created: float) -> logging.LogRecord:
    made = logging.LogRecord("moonshot_mock.requests", logging.INFO, "", 0, "GET /v1/models 200", None,
                             None)
    made.created = created
    return made


def test_each_line_has_its_own_second() -> None:
    out = io.StringIO()
    lines = RequestLines(out)
    start = 1_767_300_000.0
    times = (start, start + 0.5, start + 1.2, start + 61.0, start + 0.9)
    for created in times:
        lines.handle(record(created))
    assert out.getvalue() == "".join(
        f"{time.strftime('%H:%M:%S', time.localtime(created))} GET /v1/models 200\n"
        for created in times)
