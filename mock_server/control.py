"""The control plane of one app: every way a test steers the fake and reads what it saw.

`Control` is shared by the HTTP control plane (`/_mock/…`, `http/admin.py`) and the pytest
handle (`testing.handle.MoonshotMock`): faults and scenarios, reply rules, the clock, the
journal, batches, reset. It acts on the app's `Services` and answers plain data; a bad rule
or request raises the `MoonshotError` the control plane answers with (400 naming the problem,
404 for an unknown rule id).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_server.clock import VirtualClock
from mock_server.errors import MoonshotError, invalid_request
from mock_server.tools.scripted import WebScript, WebScriptError, parse_web_script

if TYPE_CHECKING:
    from mock_server.services import Services


class Control:
    def __init__(self, services: Services) -> None:
        self._services = services

    # --- faults and scenarios ---------------------------------------------------------
    def faults(self) -> list[dict[str, Any]]:
        return self._services.faults.rules()

    def add_fault(self, rule: Mapping[str, Any]) -> dict[str, Any]:
        from mock_server.faults.dsl import FaultSyntaxError  # on first use: a rule added
        from mock_server.faults.rules import parse_rule

        try:
            return self._services.faults.add_rule(parse_rule(rule))
        except FaultSyntaxError as exc:
            raise invalid_request(str(exc)) from None

    def remove_fault(self, rule_id: str) -> None:
        if not self._services.faults.remove_rule(rule_id):
            raise MoonshotError("resource_not_found_error", f"fault rule {rule_id} not found")

    def clear_faults(self) -> None:
        self._services.faults.clear()

    def scenarios(self) -> list[dict[str, Any]]:
        return self._services.faults.scenarios()

    def set_scenario(self, key: str, steps: str) -> dict[str, Any]:
        from mock_server.faults.dsl import FaultSyntaxError  # on first use: a scenario set

        try:
            return self._services.faults.set_scenario(key, steps)
        except FaultSyntaxError as exc:
            raise invalid_request(str(exc)) from None

    def clear_scenarios(self) -> None:
        self._services.faults.clear_scenarios()

    # --- scripted web results (docs/tools.md) -----------------------------------------
    def web_results(self) -> list[dict[str, Any]]:
        return self._services.web_script.entries()

    def add_web_results(self, entries: Any) -> list[dict[str, Any]]:
        """Add entries of the `web_results` format (one, or a list); a query or URL given
        again answers the newer."""
        try:
            added = parse_web_script(entries if isinstance(entries, list) else [entries], "body")
        except WebScriptError as exc:
            raise invalid_request(str(exc)) from None
        self._services.web_script = self._services.web_script.plus(added)
        return added.entries()

    def clear_web_results(self) -> None:
        """Back to the `web_results` setting's entries."""
        self._services.web_script = self._services.settings.web_results or WebScript()

    # --- reply rules ------------------------------------------------------------------
    def replies(self) -> list[dict[str, Any]]:
        return self._services.replies.rules()

    def add_reply(self, rule: Any, source: str = "control",
                  session: str | None = None) -> dict[str, Any]:
        from mock_server.replies.rules import ReplySyntaxError  # on first use: a rule added

        try:
            return self._services.replies.add(rule, source, session)
        except ReplySyntaxError as exc:
            raise invalid_request(f"reply rule: {exc}") from None

    def remove_reply(self, rule_id: str) -> None:
        if not self._services.replies.remove(rule_id):
            raise MoonshotError("resource_not_found_error", f"reply rule {rule_id} not found")

    def clear_replies(self) -> None:
        self._services.replies.clear()

    def replies_used(self) -> list[dict[str, Any]]:
        return self._services.replies.used()

    # --- clock, journal, accounts, batches, reset ---------------------------------------
    def clock(self) -> dict[str, Any]:
        clock = self._services.clock
        return {"now": clock.now(), "kind": "virtual" if isinstance(clock, VirtualClock) else "real"}

    def move_clock(self, *, to: float | None = None, advance: float = 0.0) -> dict[str, Any]:
        """Set or advance the virtual clock (a real clock: 400)."""
        clock = self._services.clock
        if not isinstance(clock, VirtualClock):
            raise invalid_request("the clock is real; start the fake with clock: virtual to move it")
        if to is not None:
            clock.set(to)
        else:
            clock.advance(advance)
        return {"now": clock.now(), "kind": "virtual"}

    def journal(self, path: str | None = None, status: int | None = None,
                limit: int | None = None) -> list[dict[str, Any]]:
        return self._services.journal.entries(path, status, limit)

    def export_journal(self) -> bytes:
        """The journal as indented JSON (keys redacted)."""
        return self._services.journal.export()

    def clear_journal(self) -> None:
        self._services.journal.clear()

    def account_of(self, api_key: str) -> str:
        """The account an API key belongs to (raises the 401 of an unknown key)."""
        return self._services.auth.authenticate(f"Bearer {api_key}").account.name

    def batches(self) -> list[dict[str, Any]]:
        """Every account's batches (Batch objects, newest first)."""
        return [record.wire() for record in self._services.batches.list()]

    def step_batches(self) -> None:
        """Take the due steps of unfinished batches in the caller's thread (with a shared Redis
        state, whose connections belong to the server's loop, the next API read does)."""
        from mock_server.endpoints.batch_steps import step_sync  # batches' module, on first use

        services = self._services
        if services.state.shared:
            return
        for record in services.batches.unfinished():
            account = services.auth.account(record.account)
            funded = asyncio.run(services.admission.balance(account)).available > 0
            _, cost = step_sync(services, record, funded)
            if cost:
                asyncio.run(services.admission.charge(account, cost))

    def reset(self) -> None:
        """Back to the state at start: files, batches, caches, journal, rules, scenarios,
        clock, ids, limits and balances."""
        self._services.reset()
