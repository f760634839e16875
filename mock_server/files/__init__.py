"""Uploaded files: streaming multipart intake, limits, text extraction and storage.

`records` holds the file record and its wire form, `limits` the per-account quotas,
`multipart` the streaming upload parser, `extract` the text extraction, `storage` the
memory and durable stores, and `service` ties them into the upload / content flows.
"""
