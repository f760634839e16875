"""Recorded exchanges with an upstream API: the pure parts of record and replay.

- `normalise`: a request as the stable document a recording matches on (volatile fields
  dropped, multipart uploads by content digest, key-shaped strings redacted);
- `document`: one exchange as a diff-friendly JSON reply file, and a directory of them;
- `matching`: the replay index (identical requests answered in recorded order) and the
  closest recorded request to one that matches none;
- `events`: splitting a byte stream into server-sent events as they arrive.

Nothing here does I/O on the network: the HTTP forwarding lives at the HTTP edge.
"""
