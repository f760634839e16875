import pytest

from mock_server.config import Settings


@pytest.fixture
def moonshot_mock_settings() -> Settings:
    """This project pins its own seed; the clock stays virtual so `created` is predictable."""
    return Settings(seed=42, clock="virtual")
