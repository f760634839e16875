"""Request signatures as pure functions: which nonce signs, and what a signature covers."""

from __future__ import annotations

import pytest

from mock_server.signatures.signer import PREFIX, Signer, request_nonce, signing_key

NONCE = "7d929748-0ae6-41c2-ab5d-a186498ad721"


@pytest.mark.parametrize(("values", "nonce"), [
    ([NONCE], NONCE),
    (["x"], "x"),
    ([], None),
    ([NONCE, NONCE], None),  # exactly one header value is allowed
    ([""], None),
    (["with space"], None),
    (["naïve"], None),
    (["a" * 257], None),
    (["a" * 256], "a" * 256),
])
def test_only_one_non_empty_visible_nonce_signs(values: list[str], nonce: str | None) -> None:
    assert request_nonce(values) == nonce


def test_a_signature_verifies_and_any_change_does_not() -> None:
    signer = Signer(signing_key("shared", 0))
    signature = signer.sign(NONCE, 1786338000123, "kimi-k3")
    assert signature.startswith(PREFIX) and len(signature) == len(PREFIX) + 43
    assert signer.verify(NONCE, 1786338000123, "kimi-k3", signature)
    assert not signer.verify(NONCE[:-1] + "0", 1786338000123, "kimi-k3", signature)
    assert not signer.verify(NONCE, 1786338000124, "kimi-k3", signature)
    assert not signer.verify(NONCE, 1786338000123, "kimi-k2.6", signature)
    assert not signer.verify(NONCE, 1786338000123, "kimi-k3", signature[:-1] + "A")
    assert not signer.verify(NONCE, 1786338000123, "kimi-k3", "reqsigv1_")


def test_replicas_sharing_a_key_verify_each_other_and_others_do_not() -> None:
    signature = Signer(signing_key("shared", 1)).sign(NONCE, 5, "kimi-k3")
    assert Signer(signing_key("shared", 2)).verify(NONCE, 5, "kimi-k3", signature)
    assert not Signer(signing_key("other", 1)).verify(NONCE, 5, "kimi-k3", signature)
    by_seed = Signer(signing_key("", 7)).sign(NONCE, 5, "kimi-k3")
    assert Signer(signing_key("", 7)).verify(NONCE, 5, "kimi-k3", by_seed)
    assert not Signer(signing_key("", 8)).verify(NONCE, 5, "kimi-k3", by_seed)


def test_the_key_is_never_shown() -> None:
    from mock_server.settings import Settings
    assert "s3cret" not in repr(Settings(signing_key="s3cret"))
    assert "s3cret" not in repr(Signer(b"s3cret"))
