"""A replies directory (`--reply-files-dir DIR`): recorded exchanges and reply-rule files side by side.

Each `*.json`, `*.yaml` or `*.yml` file is read once and told apart by its shape: a recorded
exchange is a mapping whose `reply` has a `status` (what `moonshot-mock record` writes, see
docs/recording.md); anything else is a reply-rule file (a list of rules, or a mapping with a
`replies:` list, see docs/replies.md). Recorded exchanges answer first, as recorded; the rules
join the config file's rules in the one reply book. Files load in name order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from mock_server.data.yaml_load import YAMLError, load_yaml
from mock_server.recording.document import Exchange, RecordingError, from_document
from mock_server.replies.files import rules_from_list, rules_tuple
from mock_server.replies.rules import ErrorCheck, ReplyRule, ReplySyntaxError
from mock_server.settings import ConfigError

SUFFIXES = (".json", ".yaml", ".yml")


@dataclass(frozen=True)
class ReplyFiles:
    exchanges: tuple[Exchange, ...]
    rules: tuple[ReplyRule, ...]


def is_recorded(document: Any) -> bool:
    reply = document.get("reply") if isinstance(document, Mapping) else None
    return isinstance(reply, Mapping) and "status" in reply


def _read(path: Path) -> Any:
    text = path.read_text("utf-8")
    return orjson.loads(text) if path.suffix == ".json" else load_yaml(text)


def load_reply_files(directory: Path, check_error: ErrorCheck | None = None) -> ReplyFiles:
    """Every file of the directory, or a `ConfigError` naming the file and what is wrong."""
    if not directory.is_dir():
        raise ConfigError(f"setting reply_files_dir: directory {str(directory)!r} does not exist")
    exchanges: list[Exchange] = []
    rules: list[ReplyRule] = []
    for path in sorted(p for p in directory.iterdir() if p.suffix in SUFFIXES and p.is_file()):
        try:
            document = _read(path)
            if is_recorded(document):
                exchanges.append(from_document(document, path.stem))
            else:
                rules.extend(rules_from_list(document or [], f"file:{path.name}", path.stem,
                                             check_error))
        except (OSError, UnicodeDecodeError, YAMLError, orjson.JSONDecodeError, RecordingError,
                ReplySyntaxError) as exc:
            raise ConfigError(f"setting reply_files_dir: reply file {path.name}: {exc}") from None
    try:
        return ReplyFiles(tuple(exchanges), rules_tuple(rules))
    except ReplySyntaxError as exc:
        raise ConfigError(f"setting reply_files_dir: {exc}") from None
