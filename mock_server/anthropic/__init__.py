"""The Anthropic Messages door (`POST /anthropic/v1/messages`), its pure parts.

`parse` turns a Messages request (already valid against the spec) into the internal request
the engine plans from; `content` converts the turns and their blocks; `render` makes the
planned answer a Message, `events` its Anthropic-framed stream; `envelope` is the door's error
body; `signature` signs thinking blocks and checks them when they come back.
"""
