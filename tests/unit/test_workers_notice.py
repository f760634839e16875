"""The notice `serve --workers N` prints: what the workers share and what each keeps."""

from __future__ import annotations

from mock_server.config import Settings
from mock_server.server.workers import workers_notice


def test_the_notice_names_what_stays_per_worker_with_either_state() -> None:
    for state in ("memory", "redis"):
        notice = workers_notice(Settings(workers=4, state=state))
        assert notice.startswith("moonshot-mock: 4 workers; ")
        assert "fault rules, scenarios, the journal and the overload schedule are per worker" in notice


def test_the_notice_says_whether_limits_are_shared() -> None:
    assert "shared through Redis" in workers_notice(Settings(workers=2, state="redis"))
    memory = workers_notice(Settings(workers=2, state="memory"))
    assert "warning: limits, balances and the virtual clock are per worker with memory state " \
           "(use --state redis to share them)" in memory
