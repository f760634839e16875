"""`moonshot-mock journal`: the request journal of a running server, a line per request.

It reads the control plane (`GET /_mock/journal`, with its filters `path`, `status`, `limit`),
so it shows what that server saw, from any shell; `--follow` keeps printing requests as they
complete. The standard library's HTTP client, without proxies: the server is local.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator, Mapping
from typing import Any

CANNOT_REACH = 3  # exit codes as `serve`'s: 2 a wrong argument or token, 3 the environment
REFUSED = 2


class JournalError(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def add_journal_command(commands: Any) -> None:
    journal = commands.add_parser("journal", help="print the request journal of a running server")
    journal.add_argument("--url", default="http://127.0.0.1:8000",
                         help="the server's root (default http://127.0.0.1:8000)")
    journal.add_argument("--path", help="only requests to this path, e.g. /v1/chat/completions")
    journal.add_argument("--status", type=int, help="only answers with this status, e.g. 429")
    journal.add_argument("--limit", type=int, help="only the last N requests (before --follow)")
    journal.add_argument("--follow", "-f", action="store_true",
                         help="keep printing requests as they complete (Ctrl-C stops)")
    journal.add_argument("--interval", type=float, default=0.5,
                         help="seconds between polls with --follow (default 0.5)")
    journal.add_argument("--json", action="store_true", help="one JSON object a line")
    journal.add_argument("--admin-token", default=os.environ.get("MOONSHOT_MOCK_ADMIN_TOKEN", ""),
                         help="the server's admin_token (default: $MOONSHOT_MOCK_ADMIN_TOKEN)")


def run_journal(options: Mapping[str, Any]) -> int:
    try:
        for entry in entries(options):
            print(json.dumps(entry, ensure_ascii=False) if options["json"] else line(entry),
                  flush=True)
    except JournalError as exc:
        print(f"moonshot-mock journal: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        pass
    return 0


def entries(options: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The completed entries, oldest first; with `follow`, then the new ones as they complete."""
    query = {k: options[k] for k in ("path", "status") if options.get(k) is not None}
    seen = 0
    first = fetch(options, {**query, **({"limit": options["limit"]} if options["limit"] else {})})
    while True:
        batch = first if first is not None else fetch(options, query)
        first = None
        for entry in batch:
            if entry["seq"] > seen and entry.get("status") is not None:
                seen = entry["seq"]
                yield entry
            elif entry.get("status") is None:
                break  # in flight: it and what follows are shown once complete
        if not options["follow"]:
            return
        time.sleep(options["interval"])


def fetch(options: Mapping[str, Any], query: Mapping[str, Any]) -> list[dict[str, Any]]:
    # imported here: the HTTP client (with its email and ssl) is no part of `serve`'s start
    import urllib.error
    import urllib.parse
    import urllib.request

    url = f"{options['url'].rstrip('/')}/_mock/journal?{urllib.parse.urlencode(query)}"
    request = urllib.request.Request(url)
    if options["admin_token"]:
        request.add_header("X-Mock-Admin-Token", options["admin_token"])
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=10) as answer:
            return list(json.load(answer)["data"])
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            raise JournalError("the control plane needs the admin token (--admin-token or "
                               "MOONSHOT_MOCK_ADMIN_TOKEN)", REFUSED) from None
        raise JournalError(f"{url} answered {exc.code}: {exc.read()[:200]!r}", REFUSED) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise JournalError(f"cannot read {url}: {reason} (is `moonshot-mock serve` running "
                           "there? --url names another server)", CANNOT_REACH) from None


def line(entry: Mapping[str, Any]) -> str:
    """`#12 19:20:01.123 POST /v1/chat/completions 429 account=acme fault=… stream=… usage=…`."""
    stamp = time.strftime("%H:%M:%S", time.gmtime(entry["time"]))
    parts = [f"#{entry['seq']}", f"{stamp}.{int(entry['time'] % 1 * 1000):03d}",
             entry["method"], entry["path"], str(entry["status"])]
    if entry.get("account"):
        parts.append(f"account={entry['account']}")
    body = entry.get("body") or {}
    if body.get("model"):
        parts.append(f"model={body['model']}")
    if entry.get("fault"):
        parts.append(f"fault={entry['fault']} ({entry.get('fault_source')})")
    if entry.get("reply"):
        parts.append(f"reply={entry['reply']}")
    stream = entry.get("stream")
    if stream:
        state = "cut" if stream.get("cut") else "done" if stream.get("done") else "open"
        parts.append(f"stream={stream.get('events')} events {state}")
    usage = entry.get("usage")
    if usage:
        parts.append(f"tokens={usage.get('prompt_tokens')}+{usage.get('completion_tokens')}")
    parts.append(f"req={entry.get('request_id')}")
    return " ".join(parts)
