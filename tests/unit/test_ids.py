from __future__ import annotations

import re
import uuid

from mock_server.ids import IdGenerator, xid_from, xid_time


def test_xid_time_part_of_real_file_ids() -> None:
    assert xid_time("cnhgqnucp7f5h7jfb3s0") == 1709378911
    assert xid_time("clg681objj8g9m7n4je0") == 1700815879


def test_minted_file_id_is_an_xid_of_its_creation_time() -> None:
    file_id = IdGenerator(1).file_id(1_762_748_041)
    assert re.fullmatch(r"[0-9a-v]{20}", file_id)
    assert xid_time(file_id) == 1_762_748_041
    assert xid_from(0, b"") == "0" * 20


def test_completion_id_starts_with_created_in_hex() -> None:
    completion_id = IdGenerator(1).completion_id(1_741_252_964)
    assert re.fullmatch(r"chatcmpl-67c96964[0-9a-f]{16}", completion_id)


def test_request_id_is_uuid1_of_the_time() -> None:
    value = uuid.UUID(IdGenerator(1).request_id(1_722_259_846.25))
    assert value.version == 1
    assert (value.time - 0x01B21DD213814000) / 1e7 == 1_722_259_846.25


def test_same_seed_same_ids() -> None:
    a, b = IdGenerator(5), IdGenerator(5)
    assert [a.hex(8) for _ in range(3)] == [b.hex(8) for _ in range(3)]
    assert IdGenerator(6).hex(8) != IdGenerator(5).hex(8)


def test_system_fingerprint_format() -> None:
    assert re.fullmatch(r"fpv0_[0-9a-f]{8}", IdGenerator(3).system_fingerprint())


def test_request_ids_are_rfc_4122_variant_and_differ_at_the_same_instant() -> None:
    ids = IdGenerator(2)
    values = [uuid.UUID(ids.request_id(1_722_259_846.25)) for _ in range(50)]
    assert all(v.variant == uuid.RFC_4122 and v.version == 1 for v in values)
    assert len({v.clock_seq for v in values}) > 40
