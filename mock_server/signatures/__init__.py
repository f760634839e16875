"""Request signatures (reference §17.5): a nonce in, a timestamp and a signature out, and the
check of `POST /v1/signatures/verify`. Pure: the key, the clock's reading and the request's
values are passed in."""
