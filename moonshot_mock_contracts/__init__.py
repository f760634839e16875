"""Contract suites for the Moonshot (Kimi) API: one spec, checked against any base URL.

`python -m moonshot_mock_contracts run --base-url URL --api-key KEY --profile fake|live --out DIR` checks a
server against `openapi/moonshot.yaml` and writes `result.json` + `report.md`;
`python -m moonshot_mock_contracts drift A.json B.json` compares two runs side by side.
"""
