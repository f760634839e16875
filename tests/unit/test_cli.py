"""The command line a newcomer meets: the commands listed, the version, the closest flag for a
mistyped one, a renamed flag's replacement, and one spelling of the recording flags."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from mock_server.cli import RENAMED_FLAGS, main, parse, parser


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int | str | None, str, str]:
    with pytest.raises(SystemExit) as exited:
        parse(list(argv))
    out, err = capsys.readouterr()
    return exited.value.code, out, err


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0 and out.startswith("usage: moonshot-mock [-h] [--version] COMMAND ...\n")
    assert "\n    serve     start the fake API server (the default command)\n" in out
    assert "\n    record    forward every /v1 request to an upstream API and write each\n" in out
    for command in parser().commands:
        assert f"\n    {command} " in out
    assert "Run `moonshot-mock COMMAND --help` for a command's options." in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert (code, out) == (0, f"moonshot-mock {importlib.metadata.version('moonshot-mock')}\n")


@pytest.mark.parametrize(("argv", "last_line"), [
    (["serve", "--prot", "9000"],
     "moonshot-mock serve: error: unrecognized argument --prot; did you mean --port?"),
    (["--prot=9000"], "moonshot-mock serve: error: unrecognized argument --prot=9000; did you mean --port?"),
    (["serve", "--replay-stict"],
     "moonshot-mock serve: error: unrecognized argument --replay-stict; did you mean --replay-strict?"),
    (["serve", "--port", "1", "--zzz"], "moonshot-mock serve: error: unrecognized argument --zzz"),
    (["record", "--upstream", "http://x", "--record-dir", "d", "--hots", "h"],
     "moonshot-mock record: error: unrecognized argument --hots; did you mean --host?"),
    (["serv"], "moonshot-mock: error: unknown command 'serv'; did you mean 'serve'? "
               "(commands: serve, record, journal)"),
    (["serve", "--rep", "d"],  # no abbreviations: a prefix is a typo, answered with its flags
     "moonshot-mock serve: error: unrecognized argument --rep; did you mean --reply-files-dir or "
     "--replay-strict or --replay-speed?"),
    (["serve", "--redis"],
     "moonshot-mock serve: error: unrecognized argument --redis; did you mean --redis-url or "
     "--redis-prefix?"),
])
def test_a_mistyped_flag_gets_the_closest(capsys: pytest.CaptureFixture[str], argv: list[str],
                                          last_line: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.splitlines()[-1] == last_line


@pytest.mark.parametrize(("command", "old"), [
    ("serve", "--passthrough"), ("serve", "--record"), ("serve", "--replies"), ("record", "--out"),
])
def test_a_renamed_flag_names_its_replacement(capsys: pytest.CaptureFixture[str], command: str,
                                              old: str) -> None:
    code, _, err = run(capsys, command, "--upstream", "http://x", old, "d")
    assert code == 2
    assert err.splitlines()[-1] == (
        f"moonshot-mock {command}: error: {old} was renamed: write {RENAMED_FLAGS[old]}")


def test_serve_and_record_spell_the_recording_flags_alike() -> None:
    words = ["--upstream", "https://api.moonshot.ai", "--record-dir", "rec"]
    served, recorded = parse(["serve", *words]), parse(["record", *words])
    assert (served["upstream"], served["record_dir"]) == (recorded["upstream"], recorded["record_dir"])
    assert served["upstream"] == "https://api.moonshot.ai" and served["record_dir"] == "rec"
    recording = {"--upstream", "--record-dir"}
    for name in ("serve", "record"):
        flags = {o for action in parser().commands[name]._actions for o in action.option_strings}
        assert recording <= flags


def test_record_requires_both(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "record", "--upstream", "http://x")
    assert code == 2 and err.splitlines()[-1] == (
        "moonshot-mock record: error: the following arguments are required: --record-dir")


def test_no_command_is_serve() -> None:
    assert parse(["--port", "9"]) == {**parse(["serve", "--port", "9"])}
    assert parse([])["command"] == "serve"


def test_a_deprecated_config_is_told_on_stderr_even_when_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "old.yaml"
    config.write_text("seed: 1\nserver:\n  port: eighty\n", encoding="utf-8")
    for name in [n for n in __import__("os").environ if n.startswith("MOONSHOT_MOCK_")]:
        monkeypatch.delenv(name)
    assert main(["serve", "--config", str(config)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"moonshot-mock: warning: config file {str(config)!r} uses the layout of an earlier release: "
        "write seed as api.seed (still accepted for now; see docs/configuration.md)",
        "moonshot-mock: setting server.port has a bad value: 'eighty' (expected a whole number)"]
