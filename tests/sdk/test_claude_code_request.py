"""What Claude Code sends, as it sends it (§17.2 [OBS]), gets what it needs."""

from __future__ import annotations

import httpx
import orjson

from tests.conftest import API_KEY

TOOL_NAMES = ["Task", "Bash", "Glob", "Grep", "LS", "ExitPlanMode", "Read", "Edit", "MultiEdit",
              "Write", "NotebookEdit", "WebFetch", "TodoWrite", "WebSearch", "BashOutput",
              "KillShell", "SlashCommand", "mcp__ide__getDiagnostics", "mcp__ide__executeCode",
              "mcp__github__create_pull_request_review_comment", "AskUserQuestion", "Skill"]


def tool(name: str) -> dict[str, object]:
    return {"name": name, "description": f"The {name} tool.", "input_schema": {
        "type": "object", "$schema": "http://json-schema.org/draft-07/schema#",
        "additionalProperties": False, "properties": {"command": {"type": "string"}},
        "required": ["command"]}}


def claude_code_body() -> dict[str, object]:
    return {
        "model": "kimi-k3", "max_tokens": 32000, "stream": True,
        "system": [{"type": "text", "text": "You are Claude Code, Anthropic's official CLI for Claude.",
                    "cache_control": {"type": "ephemeral"}},
                   {"type": "text", "text": "You are an interactive CLI tool.",
                    "cache_control": {"type": "ephemeral"}}],
        "messages": [{"role": "user", "content": [
            {"type": "text", "text": "<system-reminder>context</system-reminder>"},
            {"type": "text", "text": "list the files here", "cache_control": {"type": "ephemeral"}}]}],
        "tools": [tool(name) for name in TOOL_NAMES],
        "metadata": {"user_id": '{"device_id":"3f2a","account_uuid":"","session_id":"8c1d-42"}'},
        "thinking": {"type": "adaptive"},
        "context_management": {"edits": [{"type": "clear_thinking_20251015", "keep": "all"}]},
        "output_config": {"effort": "high"},
    }


def test_the_claude_code_request_streams_an_answer(live_url: str) -> None:
    headers = {"x-api-key": API_KEY, "anthropic-version": "2023-06-01",
               "anthropic-beta": "claude-code-20250219,interleaved-thinking-2025-05-14,"
                                 "context-management-2025-06-27",
               "user-agent": "claude-cli/2.1.0 (external, cli)", "x-app": "cli"}
    with httpx.stream("POST", f"{live_url}/anthropic/v1/messages?beta=true", headers=headers,
                      json=claude_code_body()) as response:
        body = response.read()
    assert response.status_code == 200, body
    assert response.headers["content-type"].startswith("text/event-stream")
    frames = body.split(b"\n\n")[:-1]
    names = [frame.split(b"\n")[0].removeprefix(b"event: ") for frame in frames]
    assert names[0] == b"message_start" and names[-2:] == [b"message_delta", b"message_stop"]
    delta = orjson.loads(frames[-2].split(b"\n")[1].removeprefix(b"data: "))
    assert delta["delta"]["stop_reason"] in ("end_turn", "tool_use")


def test_head_anthropic_first_is_not_a_server_error(live_url: str) -> None:
    assert httpx.head(f"{live_url}/anthropic").status_code < 500
