"""Scripted replies: rules that say what the model answers to a matching chat request.

Pure data and matching (no HTTP, no chat planning): `rules` parses a rule, `match` decides
whether a request fits it, `book` keeps the rules of every source in order and hands out the
reply a request gets, `files` loads a directory of reply files.
"""
