"""A Server-Sent Events decoder (the WHATWG parsing rules), fed one line at a time."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ServerSentEvent:
    id: str
    event: str
    data: str


class SSEDecoder:
    def __init__(self, last_event_id: str = "") -> None:
        self._data: list[str] = []
        self._event = ""
        # The spec's "last event ID buffer": it outlives the event that set it.
        self._id_buffer = last_event_id
        self.last_event_id = last_event_id
        self.retry_ms: int | None = None

    def decode(self, line: str) -> ServerSentEvent | None:
        """Feeds one line (without its end); answers an event when a blank line ends one."""
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id":
            if "\0" not in value:
                self._id_buffer = value
        elif name == "retry" and value.isdigit():
            self.retry_ms = int(value)
        return None

    def _dispatch(self) -> ServerSentEvent | None:
        # The last event id changes even when nothing is dispatched: the server sends a bare
        # `id:` block to set it back after an out-of-order event.
        self.last_event_id = self._id_buffer
        data, event = self._data, self._event
        self._data, self._event = [], ""
        if not data:
            return None
        return ServerSentEvent(
            id=self.last_event_id, event=event or "message", data="\n".join(data)
        )
