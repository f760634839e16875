"""Bearer keys to accounts. Open mode takes any `sk-` key; strict mode only the listed ones.

Limits and balances belong to the account (the real API limits per user, not per key), so
several keys can share one account. Ids are derived from names and keys: stable across runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from mock_server.errors import MoonshotError
from mock_server.ids import stable_hex, xid_from
from mock_server.settings import AccountConfig, Settings

ACCOUNT_EPOCH = 1_704_067_200  # the time part of account uids (2024-01-01)
_KEY_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True)
class Account:
    name: str
    id: str  # org-<32 hex>, as rate-limit messages name it
    uid: str  # xid, as Msh-Uid carries it
    gid: str  # the tier group, as Msh-Gid carries it (`enterprise-tier-3`)
    cash_balance: float
    voucher_balance: float


@dataclass(frozen=True)
class Caller:
    """Who is calling: the account and the id of the key used (`ak-…`, never the key itself)."""

    account: Account
    key_id: str


def invalid_authentication() -> MoonshotError:
    return MoonshotError("invalid_authentication_error", "Invalid Authentication")


def key_id(key: str) -> str:
    digest = int(stable_hex("key", key, length=40), 16)
    chars = []
    for _ in range(20):
        digest, rest = divmod(digest, len(_KEY_ID_ALPHABET))
        chars.append(_KEY_ID_ALPHABET[rest])
    return "ak-" + "".join(chars)


def group_id(tier: str) -> str:
    """`Tier3` -> `enterprise-tier-3`; no tier (limits off) reads as the top tier, 5."""
    digits = "".join(c for c in tier if c.isdigit())
    return f"enterprise-tier-{digits or 5}"


def make_account(config: AccountConfig, default_tier: str = "") -> Account:
    uid_bytes = bytes.fromhex(stable_hex("uid", config.name, length=16))
    return Account(
        name=config.name,
        id="org-" + stable_hex("org", config.name),
        uid=xid_from(ACCOUNT_EPOCH, uid_bytes),
        gid=group_id(config.tier or default_tier),
        cash_balance=config.cash_balance,
        voucher_balance=config.voucher_balance,
    )


class Authenticator:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._accounts = {c.name: make_account(c, settings.tier) for c in settings.accounts}
        self._owners = {key: c.name for c in settings.accounts for key in c.keys}
        self._callers: dict[str, Caller] = {}

    def accounts(self) -> list[Account]:
        return list(self._accounts.values())

    def account(self, name: str) -> Account:
        """A known account by name; one seen before a restart gets the default balances."""
        known = self._accounts.get(name)
        if known is None:
            known = self._accounts.setdefault(name, make_account(AccountConfig(
                name=name, cash_balance=self._settings.unlisted_cash_balance,
                voucher_balance=self._settings.unlisted_voucher_balance)))
        return known

    def authenticate(self, authorization: str | None) -> Caller:
        scheme, _, key = (authorization or "").partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key:
            raise invalid_authentication()
        caller = self._callers.get(key)
        if caller is None:
            caller = self._new_caller(key)
        return caller

    def _new_caller(self, key: str) -> Caller:
        name = self._owners.get(key)
        if name is None:
            if self._settings.strict or not key.startswith("sk-"):
                raise invalid_authentication()
            name = "open-" + stable_hex("open", key, length=12)
            self._accounts.setdefault(name, make_account(AccountConfig(
                name=name, cash_balance=self._settings.unlisted_cash_balance,
                voucher_balance=self._settings.unlisted_voucher_balance), self._settings.tier))
        caller = Caller(account=self._accounts[name], key_id=key_id(key))
        if len(self._callers) < 100_000:
            self._callers[key] = caller
        return caller
