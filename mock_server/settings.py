"""The settings of one fake as plain frozen data (built by `config`, read everywhere else).

Every setting is declared here once, in the section of the config file it belongs to
(its field's `metadata`); its one name is the attribute, the key inside its section, the flag
(`--name-with-dashes`, where one exists) and `MOONSHOT_MOCK_<NAME>`. No parsing happens here:
`config.load_settings` turns a config file, the environment and flags into these objects, with
errors that name the setting and the bad value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mock_server.faults.rules import FaultRule
    from mock_server.replies.rules import ReplyRule
    from mock_server.tools.scripted import WebScript

LIMIT_NAMES = ("concurrency", "rpm", "tpm", "tpd")
LimitOverrides = Mapping[str, int | None]

# The config file's sections, in the order the documentation shows them. `accounts` is a section
# and a setting at once: a mapping of account name to that account's settings.
SECTIONS = ("server", "api", "tokens", "accounts", "admission", "control_plane", "files",
            "replies", "caching", "bounds")


# the `metadata` of each setting: its section
SERVER: Mapping[str, str] = {"section": "server"}
API: Mapping[str, str] = {"section": "api"}
TOKENS: Mapping[str, str] = {"section": "tokens"}
ACCOUNTS: Mapping[str, str] = {"section": "accounts"}
ADMISSION: Mapping[str, str] = {"section": "admission"}
CONTROL_PLANE: Mapping[str, str] = {"section": "control_plane"}
FILES: Mapping[str, str] = {"section": "files"}
REPLIES: Mapping[str, str] = {"section": "replies"}
CACHING: Mapping[str, str] = {"section": "caching"}
BOUNDS: Mapping[str, str] = {"section": "bounds"}


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
    # server: where it listens, how many processes, where they share state, what it logs
    host: str = field(default="127.0.0.1", metadata=SERVER)
    port: int = field(default=8000, metadata=SERVER)
    workers: int = field(default=1, metadata=SERVER)
    state: str = field(default="memory", metadata=SERVER)  # "memory" (one process) or "redis"
    redis_url: str = field(default="redis://127.0.0.1:6379/0", metadata=SERVER)
    redis_prefix: str = field(default="moonshot-mock:", metadata=SERVER)
    # a concurrency slot in Redis is a lease refreshed while its request runs: after an outage
    # or a crashed replica, a slot nobody gave back returns within this many seconds
    redis_lease_seconds: float = field(default=15.0, metadata=SERVER)
    log_level: str = field(default="info", metadata=SERVER)
    request_log: bool = field(default=True, metadata=SERVER)  # a line per request; --quiet: off
    gzip_min_bytes: int = field(default=1024, metadata=SERVER)  # gzip JSON this large; 0: never
    # api: which day's API is emulated, on which clock, answering how
    seed: int = field(default=0, metadata=API)
    clock: str = field(default="real", metadata=API)
    api_date: str = field(default="", metadata=API)  # YYYY-MM-DD; "" = the clock's day
    models_file: Path | None = field(default=None, metadata=API)
    sse_ping_seconds: float = field(default=0.0, metadata=API)
    stream_event_interval: float = field(default=0.0, metadata=API)  # seconds between SSE events
    # request signatures (docs/signatures.md): the HMAC key; "" derives one from the seed.
    # Replicas that share it verify each other's signatures. Never shown (repr) nor logged.
    signing_key: str = field(default="", repr=False, metadata=API)
    # tokens: how they are counted (a Kimi tiktoken.model: exact), how long a generated reply is
    tokenizer_file: Path | None = field(default=None, metadata=TOKENS)
    reply_tokens: tuple[int, int] = field(default=(16, 64), metadata=TOKENS)
    # accounts: keys, balances, tier and limits of each account by name
    accounts: tuple[AccountConfig, ...] = field(default=(), metadata=ACCOUNTS)
    # admission: who passes, the balance of an account not listed, rate limits, overload
    strict_auth: bool | None = field(default=None, metadata=ADMISSION)  # None: when keys listed
    unlisted_cash_balance: float = field(default=100.0, metadata=ADMISSION)
    unlisted_voucher_balance: float = field(default=0.0, metadata=ADMISSION)
    tier: str = field(default="", metadata=ADMISSION)
    limits: LimitOverrides = field(default_factory=dict, metadata=ADMISSION)
    rate_limit_headers: bool = field(default=False, metadata=ADMISSION)
    retry_hint: str = field(default="captured", metadata=ADMISSION)  # 1 s as captured, or "window"
    overload_probability: float = field(default=0.0, metadata=ADMISSION)
    overload_schedule: str = field(default="", metadata=ADMISSION)
    # control_plane: /_mock/ and the X-Mock-* headers; fault rules and scenarios (docs/faults.md)
    admin_token: str = field(default="", metadata=CONTROL_PLANE)
    journal_size: int = field(default=1000, metadata=CONTROL_PLANE)
    faults: tuple[FaultRule, ...] = field(default=(), metadata=CONTROL_PLANE)
    scenarios: Mapping[str, str] = field(default_factory=dict, metadata=CONTROL_PLANE)
    # files: uploads and batches (`data_dir` None keeps them in memory); a batch takes
    # `batch_seconds` from creation to completion on the API clock, a third per stage
    data_dir: Path | None = field(default=None, metadata=FILES)
    file_max_bytes: int = field(default=100 * 1024 * 1024, metadata=FILES)
    file_max_count: int = field(default=1000, metadata=FILES)
    file_max_total_bytes: int = field(default=10 * 1024**3, metadata=FILES)
    batch_seconds: float = field(default=3.0, metadata=FILES)
    # replies: the config file's reply rules; a directory of reply files (recorded exchanges and
    # rule files); an unmatched request goes `upstream`, its exchange written in `record_dir`
    reply_rules: tuple[ReplyRule, ...] = field(default=(), metadata=REPLIES)
    reply_files_dir: Path | None = field(default=None, metadata=REPLIES)
    replay_strict: bool = field(default=False, metadata=REPLIES)  # unmatched: 404, the closest
    replay_speed: float = field(default=1.0, metadata=REPLIES)  # pacing divided by this; 0: none
    upstream: str = field(default="", metadata=REPLIES)  # a base URL: https://api.moonshot.ai
    record_dir: Path | None = field(default=None, metadata=REPLIES)
    # scripted web-tool results (docs/tools.md): what a query or URL returns
    web_results: WebScript | None = field(default=None, metadata=REPLIES)
    # caching: automatic prefix caching (`cached_tokens`, billed at the cached price), and the
    # older explicit caching API (/v1/caching, off as on the 2026 platform)
    automatic_caching: bool = field(default=True, metadata=CACHING)
    explicit_caching: bool = field(default=False, metadata=CACHING)
    caching_ready_seconds: float = field(default=1.0, metadata=CACHING)  # a new cache's pending
    # bounds: bounded work on every input (docs/bounds.md); over one is a clear error
    extract_max_unzipped_bytes: int = field(default=100 * 1024**2, metadata=BOUNDS)
    extract_max_entries: int = field(default=10_000, metadata=BOUNDS)
    extract_max_pages: int = field(default=1000, metadata=BOUNDS)
    extract_max_depth: int = field(default=256, metadata=BOUNDS)
    request_max_bytes: int = field(default=64 * 1024**2, metadata=BOUNDS)
    json_max_depth: int = field(default=100, metadata=BOUNDS)
    header_max_count: int = field(default=100, metadata=BOUNDS)
    header_max_bytes: int = field(default=64 * 1024, metadata=BOUNDS)
    # connections: a request's headers must arrive in full within `header_timeout` seconds of
    # its first byte; a connection with no request in progress closes after `keep_alive_timeout`
    header_timeout: float = field(default=10.0, metadata=BOUNDS)
    keep_alive_timeout: float = field(default=20.0, metadata=BOUNDS)

    @property
    def strict(self) -> bool:
        """Strict auth: only listed keys pass. Default: on exactly when an account lists keys."""
        if self.strict_auth is None:
            return any(account.keys for account in self.accounts)
        return self.strict_auth


SECTION_OF: Mapping[str, str] = {f.name: f.metadata["section"] for f in fields(Settings)}
