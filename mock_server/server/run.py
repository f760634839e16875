"""`serve`: one process (uvicorn with the fake's protocol classes) or `--workers N`."""

from __future__ import annotations

from mock_server.settings import Settings


def serve(settings: Settings) -> int:
    import uvicorn

    from mock_server.app import create_app
    from mock_server.server.protocols import protocol_class

    url = f"http://{settings.host}:{settings.port}"
    if settings.workers > 1:
        from mock_server.server.workers import serve_workers

        print(f"moonshot-mock listening on {url} (OpenAI SDK base_url: {url}/v1), "
              f"{settings.workers} workers", flush=True)
        return serve_workers(settings)
    app = create_app(settings)
    print(f"moonshot-mock listening on {url} (OpenAI SDK base_url: {url}/v1)", flush=True)
    # ws="none": the API has no WebSocket routes, and importing uvicorn's websockets support
    # would add ~25 ms to every start
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level,
                access_log=False, http=protocol_class(), ws="none",
                server_header=False)  # the fake sends the real gateway's `Server`
    return 0
