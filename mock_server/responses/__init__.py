"""The OpenAI Responses door (`POST /v1/responses`): its request as the chat request the engine
answers (`request.py`, `items.py`, `tools.py`), and the planned answer as its `Response` object
(`output.py`, `body.py`) and SSE events (`events.py`); the server-side web search (`search.py`).
Pure modules over plain data: no server, no other domain package at run time."""
