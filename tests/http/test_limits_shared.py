"""Two replicas of the app sharing Redis: one account's limits, balance and virtual time."""

from __future__ import annotations

from starlette.testclient import TestClient

from mock_server.app import create_app
from mock_server.config import Settings

CHAT = "/v1/chat/completions"
BODY = {"model": "moonshot-v1-8k", "messages": [{"role": "user", "content": "hi"}],
        "max_tokens": 16}


def test_replicas_share_limits_balance_and_the_virtual_clock(redis_url: str) -> None:
    settings = Settings(seed=2, clock="virtual", state="redis", redis_url=redis_url,
                        redis_prefix="test-replicas:", limits={"rpm": 2}, retry_hint="window")
    auth = {"Authorization": "Bearer sk-replicated"}
    with TestClient(create_app(settings), headers=auth) as one, \
            TestClient(create_app(settings), headers=auth) as two:
        assert one.post(CHAT, json=BODY).status_code == 200
        assert two.post(CHAT, json=BODY).status_code == 200
        refused = one.post(CHAT, json=BODY)
        assert refused.status_code == 429 and "max RPM: 2, please try again after 60" in refused.text
        assert one.get("/v1/users/me/balance").json() == two.get("/v1/users/me/balance").json()
        moved = one.post(CHAT, json=BODY, headers={"X-Mock-Clock-Advance": "30"})
        assert moved.status_code == 429 and "please try again after 30 seconds" in moved.text
        later = two.post(CHAT, json=BODY)  # replica two has caught up with the shared time
        assert later.status_code == 429 and "please try again after 30 seconds" in later.text
        answer = two.post(CHAT, json=BODY, headers={"X-Mock-Clock-Advance": "30"})
        assert answer.status_code == 200
        assert answer.json()["created"] == 1_793_491_200 + 60
        assert one.post(CHAT, json=BODY).json()["created"] == 1_793_491_200 + 60


def test_reset_clears_the_shared_limits_balance_and_time(redis_url: str) -> None:
    from redis import Redis

    prefix = "test-reset:"
    settings = Settings(seed=2, clock="virtual", state="redis", redis_url=redis_url,
                        redis_prefix=prefix, limits={"rpm": 1})
    auth = {"Authorization": "Bearer sk-reset"}
    with TestClient(create_app(settings), headers=auth) as client:
        opening = client.get("/v1/users/me/balance").json()
        assert client.post(CHAT, json=BODY, headers={"X-Mock-Clock-Advance": "5"}).status_code == 200
        assert client.post(CHAT, json=BODY).status_code == 429
        assert client.get("/v1/users/me/balance").json() != opening
        store = Redis.from_url(redis_url)
        assert store.keys(f"{prefix}*")
        assert client.post("/_mock/reset").json() == {"reset": True}
        assert store.keys(f"{prefix}*") == []
        store.close()
        assert client.get("/v1/users/me/balance").json() == opening
        again = client.post(CHAT, json=BODY)
        assert again.status_code == 200
        assert again.json()["created"] == 1_793_491_200  # the shared time is back at the start


def test_reset_with_redis_unreachable_is_a_moonshot_error() -> None:
    settings = Settings(state="redis", redis_url="redis://127.0.0.1:9/0", redis_prefix="gone:")
    with TestClient(create_app(settings)) as client:
        answer = client.post("/_mock/reset")
    assert answer.status_code == 503
    error = answer.json()["error"]
    assert error["type"] == "server_unavailable" and set(error) == {"message", "type"}
