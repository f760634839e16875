"""Explicit context caching (the platform's older `/v1/caching` API, behind the setting
`explicit_caching`) as plain data: cache and tag records with their statuses on the API clock,
the documented checks, the `role: "cache"` message's syntax, and an in-memory store."""
