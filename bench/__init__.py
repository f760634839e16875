"""Benchmarks of moonshot-mock: `make bench` (python -m bench.run). Never part of `make test`."""
