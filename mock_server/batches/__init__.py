"""Batches as plain data: the batch record and its state machine over the API clock, the input
file's validation, the output and error lines, and the stores that keep records (memory, or
SQLite next to the durable file store). Running a batch's lines through the chat engine needs
chat, files and accounts together, so it lives in `endpoints.batch_run`."""
