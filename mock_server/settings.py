"""The settings of one fake as plain frozen data (built by `config`, read everywhere else).

No parsing happens here: `config.load_settings` turns a config file, the environment and flags
into these objects, with errors that name the setting and the bad value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mock_server.faults.rules import FaultRule
    from mock_server.replies.rules import ReplyRule

LIMIT_NAMES = ("concurrency", "rpm", "tpm", "tpd")
LimitOverrides = Mapping[str, int | None]


class ConfigError(ValueError):
    """A setting that cannot be used; the message names it and its value."""


@dataclass(frozen=True)
class AccountConfig:
    """An account (the real API's user/organization): limits and balance belong to it."""

    name: str
    keys: tuple[str, ...] = ()
    cash_balance: float = 100.0
    voucher_balance: float = 0.0
    tier: str = ""  # a preset of data/tiers.yaml; "" = the server's `tier`
    limits: LimitOverrides = field(default_factory=dict)  # overrides the tier's entries


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    seed: int = 0
    accounts: tuple[AccountConfig, ...] = ()
    strict_auth: bool | None = None  # None: strict exactly when some account lists keys
    clock: str = "real"
    api_date: str = ""  # YYYY-MM-DD: the day whose API is emulated; "" = the clock's day
    sse_ping_seconds: float = 0.0
    stream_event_interval: float = 0.0  # seconds between SSE events, paced by the clock
    reply_tokens: tuple[int, int] = (16, 64)
    default_cash_balance: float = 100.0
    default_voucher_balance: float = 0.0
    models_file: Path | None = None
    tokenizer_file: Path | None = None  # a Kimi tiktoken.model: exact token counts
    log_level: str = "info"
    gzip_min_bytes: int = 1024  # gzip JSON answers this large when the client accepts it; 0 = never
    # fault injection and the control plane (docs/faults.md): see mock_server/faults/rules.py
    admin_token: str = ""
    journal_size: int = 1000
    faults: tuple[FaultRule, ...] = ()
    scenarios: Mapping[str, str] = field(default_factory=dict)
    # scripted replies (docs/replies.md): the config file's rules (more in `replies_dir`)
    replies: tuple[ReplyRule, ...] = ()
    # admission and billing (limits off unless a tier or limits are set)
    tier: str = ""
    limits: LimitOverrides = field(default_factory=dict)
    rate_limit_headers: bool = False
    retry_hint: str = "captured"  # 429 "after 1 seconds" as captured, or "window": the remainder
    overload_probability: float = 0.0
    overload_schedule: str = ""
    # shared state: "memory" (one process) or "redis" (many workers or replicas)
    state: str = "memory"
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_prefix: str = "moonshot-mock:"
    # a concurrency slot in Redis is a lease refreshed while its request runs: after an outage
    # or a crashed replica, a slot nobody gave back returns within this many seconds
    redis_lease_seconds: float = 15.0
    workers: int = 1
    # uploaded files
    data_dir: Path | None = None  # durable file storage; None keeps files in memory
    file_max_bytes: int = 100 * 1024 * 1024
    file_max_count: int = 1000
    file_max_total_bytes: int = 10 * 1024**3
    # batches: seconds from creation to completion on the API clock (validating, in_progress
    # and finalizing take a third each); with the virtual clock a test advances past them
    batch_seconds: float = 3.0
    # automatic context caching: a prompt sharing a prefix with a recent one of the same
    # account and model reports `cached_tokens` and is billed at the cached-input price
    context_caching: bool = True
    # the older explicit caching API (/v1/caching, tags, X-Msh-Context-Cache, role "cache");
    # off: its URLs are unknown, as on the 2026 platform; a new cache is pending this long
    explicit_caching: bool = False
    caching_ready_seconds: float = 1.0
    # reply files (docs/replies.md, docs/recording.md): recorded exchanges and reply rules;
    # forward what they lack to an upstream API, and write what the upstream answers
    replies_dir: Path | None = None
    replay_strict: bool = False  # an unmatched request is a 404 naming the closest recorded one
    replay_speed: float = 1.0  # recorded stream pacing divided by this; 0 sends at once
    passthrough: str = ""  # upstream base URL (e.g. https://api.moonshot.ai) for unmatched requests
    record_dir: Path | None = None  # write each forwarded exchange here as a reply file
    # bounded work on every input (docs/bounds.md): over a limit is a clear error, never a 500
    extract_max_unzipped_bytes: int = 100 * 1024**2  # DOCX/PPTX/XLSX parts, counted as inflated
    extract_max_entries: int = 10_000  # members of a DOCX/PPTX/XLSX archive
    extract_max_pages: int = 1000  # pages of a PDF
    extract_max_depth: int = 256  # element nesting of a document's XML parts
    request_max_bytes: int = 64 * 1024**2  # a JSON request body
    json_max_depth: int = 100  # nesting of a JSON request body
    header_max_count: int = 100  # request headers
    header_max_bytes: int = 64 * 1024  # request headers, names and values together
    # connections: a request's headers must arrive in full within `header_timeout` seconds of
    # its first byte; a connection with no request in progress closes after `keep_alive_timeout`
    header_timeout: float = 10.0
    keep_alive_timeout: float = 20.0
    # one line per request on the terminal (`serve`; `--quiet` turns it off)
    request_log: bool = True

    @property
    def strict(self) -> bool:
        """Strict auth: only listed keys pass. Default: on exactly when an account lists keys."""
        if self.strict_auth is None:
            return any(account.keys for account in self.accounts)
        return self.strict_auth
