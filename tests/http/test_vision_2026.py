"""The vision rules of 2026 (reference §17.7): SVG is refused as an upload for purpose `image`
and as an `image_url`; an animated GIF or WebP is decoded and counted as a video."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.config import Settings
from mock_server.media import is_animated, is_svg

SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'
STILL_GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x00;"
ANIMATED_GIF = (b"GIF89a\x01\x00\x01\x00\x00\x00\x00!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
                b"!\xf9\x04\x00\x0a\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x00"
                b"!\xf9\x04\x00\x0a\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x00;")
ANIMATED_WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x02\x00\x00\x00" + b"\x00" * 6 + b"ANIM"
STILL_WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11"


def make() -> TestClient:
    client = TestClient(create_app(Settings(seed=2, clock="virtual")))
    client.headers["Authorization"] = "Bearer sk-vision"
    return client


def url(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def chat(client: TestClient, image: str, route: str = "/v1/chat/completions") -> Any:
    return client.post(route, json={"model": "kimi-k2.6", "messages": [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": image}}, {"type": "text", "text": "what is it?"}]}]})


@pytest.mark.parametrize(("head", "name", "svg"), [
    (SVG, "a.png", True), (b"<svg/>", "", True), (b"\x89PNG", "icon.svg", True),
    (b"\x89PNG\r\n", "a.png", False), (b"<?xml version='1.0'?><rss/>", "a.xml", False),
])
def test_svg_is_recognised_by_name_or_content(head: bytes, name: str, svg: bool) -> None:
    assert is_svg(head, name) is svg


@pytest.mark.parametrize(("head", "animated"), [
    (ANIMATED_GIF, True), (STILL_GIF, False), (ANIMATED_WEBP, True), (STILL_WEBP, False),
    (b"\x89PNG\r\n", False),
])
def test_animation_is_recognised(head: bytes, animated: bool) -> None:
    assert is_animated(head) is animated


def test_an_svg_upload_for_image_is_refused() -> None:
    answer = make().post("/v1/files", data={"purpose": "image"},
                         files={"file": ("logo.svg", SVG, "image/svg+xml")})
    assert answer.status_code == 400
    assert answer.json()["error"] == {
        "message": "Invalid request: SVG images are not supported for purpose 'image'; upload "
                   "jpeg, png, gif, webp, bmp, heic or heif", "type": "invalid_request_error"}


def test_an_svg_image_url_is_refused() -> None:
    answer = chat(make(), url("image/svg+xml", SVG))
    assert answer.status_code == 400
    assert answer.json()["error"]["message"] == (
        "Invalid request: messages[0].content[0].image_url.url is an SVG image, which is not "
        "supported; use jpeg, png, gif, webp, bmp, heic or heif")


@pytest.mark.parametrize(("mime", "data", "counted_as_video"), [
    ("image/gif", ANIMATED_GIF, True), ("image/gif", STILL_GIF, False),
    ("image/webp", ANIMATED_WEBP, True), ("image/webp", STILL_WEBP, False),
])
def test_an_animated_image_counts_as_a_video(mime: str, data: bytes, counted_as_video: bool) -> None:
    client = make()
    estimate = "/v1/tokenizers/estimate-token-count"
    still = chat(client, url("image/png", b"\x89PNG\r\n\x1a\n"), estimate).json()["data"]["total_tokens"]
    counted = chat(client, url(mime, data), estimate).json()["data"]["total_tokens"]
    assert counted - still == (4096 - 1024 if counted_as_video else 0)
    assert chat(client, url(mime, data)).status_code == 200
