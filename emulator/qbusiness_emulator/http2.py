# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""HTTP/2 cleartext with prior knowledge (RFC 9113 §3.3) on the emulator's port, through the same WSGI app.

The AWS SDK for JavaScript v3 talks HTTP/2 to Q Business (the service has an event-stream operation), and
to an ``http://`` endpoint it sends the connection preface straight away, without an HTTP/1.1 Upgrade.
werkzeug's request handler reads the preface's first line as a request line; server.py hands the
connection here at that point (:func:`serve_connection`). Each stream becomes one WSGI request, answered
in a thread of its own so that concurrent streams are not serialised behind a slow one (latency faults).
"""

from __future__ import annotations

import contextlib
import io
import json
import socket
import sys
import threading
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from urllib.parse import unquote_to_bytes
from urllib.parse import urlsplit

import h2.config
import h2.connection
import h2.events
import h2.exceptions

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
# What werkzeug's handler has read (as a request line) when it hands the connection over.
PREFACE_LINE = b"PRI * HTTP/2.0\r\n"
# Connection-specific headers are forbidden in HTTP/2 (RFC 9113 §8.2.2); a WSGI app may still set them.
_CONNECTION_HEADERS = frozenset({"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"})
_READ_SIZE = 65536
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Http2Stats:
    """How many HTTP/2 connections and streams (requests) the server has taken: tells HTTP/2 use apart."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.connections = 0
        self.streams = 0

    def count(self, connections: int = 0, streams: int = 0) -> None:
        with self._lock:
            self.connections += connections
            self.streams += streams

    def snapshot(self) -> dict[str, int]:
        """``{"connections": n, "streams": m}`` since the process started."""
        with self._lock:
            return {"connections": self.connections, "streams": self.streams}


STATS = Http2Stats()


@dataclass
class _Stream:
    stream_id: int
    headers: list[tuple[str, str]]
    body: bytearray = field(default_factory=bytearray)


@dataclass
class _Answer:
    status: str = "500 INTERNAL SERVER ERROR"
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytearray = field(default_factory=bytearray)


class Http2Connection:
    """One HTTP/2 connection: a reader loop feeding h2, and a thread per request stream.

    Every use of the h2 state machine and every write to the socket happens under one lock. A response
    body larger than the peer's flow-control window waits in ``_pending`` until a WINDOW_UPDATE opens it.
    """

    def __init__(self, handler: Any) -> None:
        self._handler = handler
        self._app: WSGIApp = handler.server.app
        self._sock: socket.socket = handler.connection
        self._rfile: Any = handler.rfile
        self._lock = threading.Lock()
        self._h2 = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False, header_encoding="latin-1"))
        self._streams: dict[int, _Stream] = {}
        self._pending: dict[int, bytearray] = {}
        self._closed = False

    def serve(self) -> None:
        """Serve until the peer closes the connection, says GOAWAY, breaks the protocol, or a drop fault ends it."""
        STATS.count(connections=1)
        with self._lock:
            self._h2.initiate_connection()
            self._write()
        data = PREFACE_LINE
        while data:
            events = self._receive(data)
            if events is None:
                break
            self._dispatch(events)
            if self._closed:
                break
            try:
                data = self._rfile.read1(_READ_SIZE)
            except OSError:
                break
        self._closed = True

    def _receive(self, data: bytes) -> list[h2.events.Event] | None:
        """Feed bytes to h2; None once the connection is over (a protocol error is answered with GOAWAY first)."""
        with self._lock:
            if self._closed:
                return None
            try:
                events = self._h2.receive_data(data)
            except h2.exceptions.ProtocolError:
                self._write()
                return None
            self._write()
            return events

    def _dispatch(self, events: list[h2.events.Event]) -> None:
        for event in events:
            if isinstance(event, h2.events.RequestReceived):
                self._streams[event.stream_id] = _Stream(event.stream_id, [(str(k), str(v)) for k, v in event.headers])
            elif isinstance(event, h2.events.DataReceived):
                stream = self._streams.get(event.stream_id)
                if stream is not None:
                    stream.body += event.data
                with self._lock, contextlib.suppress(h2.exceptions.StreamClosedError):
                    # Bodies are small and kept whole: hand the window back at once.
                    self._h2.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                    self._write()
            elif isinstance(event, h2.events.StreamEnded):
                stream = self._streams.pop(event.stream_id, None)
                if stream is not None:
                    STATS.count(streams=1)
                    threading.Thread(target=self._respond, args=(stream,), name=f"qbusiness-emulator-h2-{event.stream_id}", daemon=True).start()
            elif isinstance(event, h2.events.StreamReset):
                self._streams.pop(event.stream_id, None)
                with self._lock:
                    self._pending.pop(event.stream_id, None)
            elif isinstance(event, (h2.events.WindowUpdated, h2.events.RemoteSettingsChanged)):
                with self._lock:
                    self._flush_pending()
            elif isinstance(event, h2.events.ConnectionTerminated):
                # h2 sends nothing after the peer's GOAWAY, so a body still waiting for window would be lost;
                # none of this API's answers comes near the 64 KiB initial window.
                self._closed = True

    def _environ(self, stream: _Stream) -> dict[str, Any]:
        """The WSGI environ werkzeug's HTTP/1.1 handler would build for the same request."""
        pseudo = {name: value for name, value in stream.headers if name.startswith(":")}
        target = urlsplit(pseudo.get(":path", "/"))
        server = self._handler.server
        environ: dict[str, Any] = {
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": pseudo.get(":scheme", "http"),
            "wsgi.input": io.BytesIO(bytes(stream.body)),
            "wsgi.input_terminated": True,
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "SERVER_SOFTWARE": self._handler.server_version,
            "REQUEST_METHOD": pseudo.get(":method", "GET"),
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote_to_bytes(target.path).decode("latin-1"),
            "QUERY_STRING": target.query,
            "REQUEST_URI": pseudo.get(":path", "/"),
            "RAW_URI": pseudo.get(":path", "/"),
            "REMOTE_ADDR": self._handler.client_address[0],
            "REMOTE_PORT": self._handler.client_address[1],
            "SERVER_NAME": server.server_address[0],
            "SERVER_PORT": str(server.server_address[1]),
            "SERVER_PROTOCOL": "HTTP/2",
        }
        for name, value in stream.headers:
            if name.startswith(":") or "_" in name:  # werkzeug drops underscored names too (X_Foo would spoof X-Foo)
                continue
            key = name.upper().replace("-", "_")
            if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                key = f"HTTP_{key}"
                if key in environ:  # HTTP/2 may split cookies into several fields (RFC 9113 §8.2.3)
                    value = environ[key] + ("; " if key == "HTTP_COOKIE" else ",") + value
            environ[key] = value
        environ.setdefault("HTTP_HOST", pseudo.get(":authority", ""))
        # The body is complete: its length is known even when the client sent no content-length.
        environ["CONTENT_LENGTH"] = str(len(stream.body))
        return environ

    def _run_app(self, environ: dict[str, Any]) -> _Answer:
        answer = _Answer()

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            answer.status, answer.headers = status, list(headers)
            return answer.body.extend

        result = self._app(environ, start_response)
        try:
            for chunk in result:
                answer.body += chunk
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return answer

    def _respond(self, stream: _Stream) -> None:
        environ = self._environ(stream)
        try:
            answer = self._run_app(environ)
        except ConnectionError:
            # server.ConnectionDropped (the drop_connection_rate fault): no answer, the connection ends, as over HTTP/1.1.
            self._drop()
            return
        except Exception as exc:  # noqa: BLE001  an emulator bug: answer it, as werkzeug does over HTTP/1.1, never leave the stream open
            answer = _Answer()
            answer.status = "500 Internal Server Error"
            answer.headers = [("Content-Type", "application/json"), ("x-amzn-ErrorType", "InternalServerException")]
            answer.body = bytearray(json.dumps({"message": f"emulator error: {type(exc).__name__}: {exc}"}).encode())
        headers = [(":status", answer.status.split(None, 1)[0])]
        headers += [(name.lower(), value) for name, value in answer.headers if name.lower() not in _CONNECTION_HEADERS]
        names = {name for name, _ in headers}
        if "server" not in names:
            headers.append(("server", self._handler.version_string()))
        if "date" not in names:
            headers.append(("date", self._handler.date_time_string()))
        body = b"" if environ["REQUEST_METHOD"] == "HEAD" else bytes(answer.body)
        with self._lock:
            if self._closed:
                return
            try:
                self._h2.send_headers(stream.stream_id, headers, end_stream=not body)
                if body:
                    self._pending[stream.stream_id] = bytearray(body)
                    self._flush_pending()
                self._write()
            except (h2.exceptions.StreamClosedError, h2.exceptions.ProtocolError):
                pass  # the client reset the stream or ended the connection meanwhile

    def _flush_pending(self) -> None:
        """Send what the flow-control windows allow of every waiting body (lock held)."""
        for stream_id in list(self._pending):
            data = self._pending[stream_id]
            try:
                while data:
                    size = min(self._h2.local_flow_control_window(stream_id), self._h2.max_outbound_frame_size, len(data))
                    if size <= 0:
                        break
                    chunk = bytes(data[:size])
                    del data[:size]
                    self._h2.send_data(stream_id, chunk, end_stream=not data)
            except (h2.exceptions.StreamClosedError, h2.exceptions.ProtocolError):
                data.clear()
            if not data:
                del self._pending[stream_id]
        self._write()

    def _write(self) -> None:
        """Send what h2 has queued (lock held); a socket already gone ends the connection."""
        data = self._h2.data_to_send()
        if not data or self._closed:
            return
        try:
            self._sock.sendall(data)
        except OSError:
            self._closed = True

    def _drop(self) -> None:
        """End the whole connection without a word (no GOAWAY), as a network failure would."""
        with self._lock:
            self._closed = True
            with contextlib.suppress(OSError):
                # Wakes the reader loop (its read returns no data), which then returns to werkzeug, which closes.
                self._sock.shutdown(socket.SHUT_RDWR)


def serve_connection(handler: Any) -> None:
    """Serve an HTTP/2 connection whose preface line ``handler`` (a werkzeug WSGIRequestHandler) has just read."""
    Http2Connection(handler).serve()
