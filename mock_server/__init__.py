"""moonshot-mock: an offline, faithful fake of the Moonshot (Kimi) Open Platform API."""

__version__ = "0.1.0"
