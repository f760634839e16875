"""The `moonshot_recording("name")` marker: replay a test's recording, or record it afresh.

By default the fake answers from the reply files in `<recordings dir>/<name>/` (the
`moonshot_recordings_dir` fixture, `tests/recordings` under pytest's root directory), strictly:
a request the recording does not hold fails with a 404 naming the closest recorded request.
With `MOONSHOT_RECORD=1` and `MOONSHOT_API_KEY` set, the fake forwards every request to the
upstream (`MOONSHOT_BASE_URL`, default https://api.moonshot.ai) with that key and writes the
exchanges there instead, replacing the recording's reply files.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path

from mock_server.recording.store import reply_files
from mock_server.settings import Settings

DEFAULT_UPSTREAM = "https://api.moonshot.ai"
RECORD_VARIABLE = "MOONSHOT_RECORD"


class RecordingSetupError(RuntimeError):
    """The marker cannot be honoured (no recording to replay, no key to record with)."""


def recording_mode(env: Mapping[str, str]) -> bool:
    return env.get(RECORD_VARIABLE, "").lower() in ("1", "true", "yes", "on")


def recording_settings(settings: Settings, directory: Path, env: Mapping[str, str] | None = None,
                       cleared: set[Path] | None = None) -> tuple[Settings, str | None]:
    """The settings for a marked test, and the key its client must use (None: the usual).
    Recording replaces a directory's reply files once per run (`cleared` remembers which), so
    tests sharing a recording add to it."""
    env = os.environ if env is None else env
    if recording_mode(env):
        key = env.get("MOONSHOT_API_KEY", "")
        if not key:
            raise RecordingSetupError(f"{RECORD_VARIABLE}=1 records {directory} against the real API: "
                                      "set MOONSHOT_API_KEY too")
        upstream = env.get("MOONSHOT_BASE_URL") or DEFAULT_UPSTREAM
        cleared = set() if cleared is None else cleared
        if directory.is_dir() and directory not in cleared:
            for path in reply_files(directory):
                path.unlink()
        cleared.add(directory)
        return dataclasses.replace(settings, upstream=upstream, record_dir=directory), key
    if not directory.is_dir():
        raise RecordingSetupError(f"no recording at {directory}: run this test once with "
                                  f"{RECORD_VARIABLE}=1 and MOONSHOT_API_KEY set to make it")
    return dataclasses.replace(settings, reply_files_dir=directory, replay_strict=True), None
