"""The engine: every step of an API request that is not a wire format, written once.

A door (`doors/`) parses its wire request into an `Inference` (`request.py`) and renders the
engine's `Answer` (`answer.py`) in its own JSON, SSE framing and error envelope (`door.py`
says what a door provides). The engine's entry points:

- `gate.enter(call, credentials, services)`: authentication and the fault plan, for every API
  request (inference or not);
- `run.infer(call, inference, door, services, accounting)`: semantic checks, admission, reply
  choice, plan, usage, billing and signature headers of an inference request;
- `stream.answer_events(...)`: a streamed answer paced, faulted, billed and settled;
- `offline.answer_offline(...)`: the same way for a request without a connection (a batch line);
- `entries.fill_entry`: the journal entry, from the `Call` (`call.py`) the steps filled in.

Nothing here imports Starlette or knows a door's wire format; the transports (`http/`, the
batch runner) call in.
"""
