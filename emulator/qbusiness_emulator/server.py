# Copyright: qbusiness.ops contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The emulator's HTTP server: control routes under /_emulator/ in front of moto's server app, plus the CLI."""

from __future__ import annotations

import argparse
import contextlib
import inspect
import ipaddress
import json
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from collections.abc import Iterable
from pathlib import Path
from types import FrameType
from types import TracebackType
from typing import Any

from werkzeug.serving import WSGIRequestHandler
from werkzeug.serving import make_server
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from . import auth
from . import control
from . import http2
from . import responses
from .behaviours import parse_assignment
from .requestlog import REQUEST_LOG

CONTROL_PREFIX = "/_emulator/"


def _call_with_payload(func: Callable[..., Any], payload: dict[str, Any], where: str) -> Any:
    """Call a control function with a JSON payload, naming any unknown or missing key."""
    params = inspect.signature(func).parameters
    for key in payload:
        if key not in params:
            raise control.ControlError(f"{where}: unknown key '{key}'; allowed: {list(params)}")
    for name, param in params.items():
        if param.default is inspect.Parameter.empty and name not in payload:
            raise control.ControlError(f"{where}: missing key '{name}'")
    return func(**payload)


def _reset(payload: dict[str, Any]) -> dict[str, Any]:
    control.reset()
    return {"status": "ok"}


def _clear_requests(payload: dict[str, Any]) -> dict[str, Any]:
    control.clear_requests()
    return {"status": "ok"}


# (method, name) -> handler(payload) -> JSON answer
CONTROL_ROUTES: dict[tuple[str, str], Callable[[dict[str, Any]], Any]] = {
    ("GET", "health"): lambda payload: {"status": "ok"},
    ("POST", "reset"): _reset,
    ("POST", "scenario"): lambda payload: control.load_scenario(payload),
    ("POST", "history"): lambda payload: {"execution_ids": _call_with_payload(control.seed_history, payload, "history")},
    ("POST", "documents"): lambda payload: {"document_ids": _call_with_payload(control.seed_documents, payload, "documents")},
    ("POST", "next-sync"): lambda payload: {"next_sync": _call_with_payload(control.set_next_sync, payload, "next-sync")},
    ("POST", "start-sync"): lambda payload: _call_with_payload(control.start_sync, payload, "start-sync"),
    ("POST", "data-source-status"): lambda payload: {"data_source_status": _call_with_payload(control.set_data_source_status, payload, "data-source-status")},
    ("POST", "faults"): lambda payload: _call_with_payload(control.set_faults, payload, "faults"),
    ("GET", "faults"): lambda payload: control.get_faults(),
    ("DELETE", "faults"): lambda payload: control.clear_faults(),
    ("POST", "behaviours"): lambda payload: control.set_behaviours(**payload),
    ("GET", "behaviours"): lambda payload: control.get_behaviours(),
    ("DELETE", "behaviours"): lambda payload: control.clear_behaviours(),
    ("GET", "requests"): lambda payload: {"requests": control.requests()},
    ("DELETE", "requests"): _clear_requests,
}


def _json_response(status: int, payload: Any) -> Response:
    return Response(json.dumps(payload), status=status, content_type="application/json")


def handle_control(environ: dict[str, Any]) -> Response:
    """Answer one /_emulator/ request (never logged, never faulted)."""
    request = Request(environ)
    name = request.path[len(CONTROL_PREFIX) :].strip("/")
    method = request.method.upper()
    handler = CONTROL_ROUTES.get((method, name))
    if handler is None:
        if any(route_name == name for _, route_name in CONTROL_ROUTES):
            return _json_response(405, {"message": f"method {method} not allowed on {CONTROL_PREFIX}{name}"})
        return _json_response(404, {"message": f"no control route {CONTROL_PREFIX}{name}"})
    raw = request.get_data()
    payload: Any = {}
    if raw.strip():
        try:
            payload = json.loads(raw)
        except ValueError as exc:
            return _json_response(400, {"message": f"body is not JSON: {exc}"})
    if not isinstance(payload, dict):
        return _json_response(400, {"message": "body must be a JSON object"})
    try:
        return _json_response(200, handler(payload))
    except control.ControlError as exc:
        return _json_response(exc.status, {"message": str(exc)})
    except TypeError as exc:  # wrong argument types reaching a control function
        return _json_response(400, {"message": str(exc)})


class ConnectionDropped(ConnectionError):
    """Raised out of the WSGI app to close the connection with no answer (werkzeug writes nothing then)."""


class EmulatorApp:
    """WSGI app: /_emulator/ control routes; every other request goes to moto's DomainDispatcherApplication."""

    def __init__(self) -> None:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication
        from moto.moto_server.werkzeug_app import create_backend_app

        self.moto_app = DomainDispatcherApplication(create_backend_app)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """Route one WSGI request."""
        path = environ.get("PATH_INFO", "")
        if path.startswith(CONTROL_PREFIX) or path == CONTROL_PREFIX.rstrip("/"):
            return handle_control(environ)(environ, start_response)
        refusal = auth.refusal(environ, self.moto_app)
        if refusal is not None:
            return auth.refused_answer(environ, refusal)(environ, start_response)
        environ[responses.DROP_SUPPORTED] = True
        answer: Iterable[bytes] = self.moto_app(environ, start_response)
        if environ.get(responses.DROP_REQUESTED):
            # start_response has only been recorded, nothing is written yet: a ConnectionError here makes
            # werkzeug's handler call connection_dropped() and close the socket without an answer.
            close = getattr(answer, "close", None)
            if close is not None:
                close()
            raise ConnectionDropped("connection dropped (drop_connection_rate fault)")
        return answer


class _QuietHandler(WSGIRequestHandler):
    """No access log on stderr (use --log-requests for the API request log); closes the connection on a drop."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None

    def connection_dropped(self, error: BaseException, environ: dict[str, Any] | None = None) -> None:
        """A client gone or an injected drop: end the connection (no keep-alive wait for a next request)."""
        self.close_connection = True

    def parse_request(self) -> bool:
        """HTTP/2 with prior knowledge: the preface's first line hands the whole connection to http2.py."""
        if self.raw_requestline == http2.PREFACE_LINE:
            self.close_connection = True
            http2.serve_connection(self)
            return False
        return super().parse_request()


def is_loopback(host: str) -> bool:
    """Whether ``host`` names a loopback address."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class EmulatorServer:
    """The emulator over HTTP in a background thread; a context manager.

    ``scenario`` may be a scenario dict or a path to a JSON file; it is loaded before the first request
    and the answer (with ids) is kept in ``.scenario``. ``port=0`` picks a free port. Refuses a non-loopback
    ``host`` unless ``allow_remote``. State is process-wide: two servers in one process share it.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        scenario: dict[str, Any] | str | Path | None = None,
        allow_remote: bool = False,
        behaviours: dict[str, Any] | None = None,
    ) -> None:
        if not allow_remote and not is_loopback(host):
            raise ValueError(f"refusing to bind non-loopback host {host!r} without allow_remote=True")
        self.host = host
        self.port = port
        self._scenario_input = scenario
        self._behaviours = behaviours or {}  # set after the scenario's, so they win
        self.scenario: dict[str, Any] | None = None
        self._server: Any = None
        self._thread: threading.Thread | None = None

    @property
    def endpoint_url(self) -> str:
        """Base URL for boto3's ``endpoint_url``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> EmulatorServer:
        """Bind, load the scenario, serve in a daemon thread."""
        if self._server is not None:
            return self
        server = make_server(self.host, self.port, EmulatorApp(), threaded=True, request_handler=_QuietHandler)
        try:
            # Loaded after binding (a busy port changes no state) and before serving (no request sees a half-loaded scenario).
            if isinstance(self._scenario_input, (str, Path)):
                self.scenario = control.load_scenario_file(self._scenario_input)
            elif self._scenario_input is not None:
                self.scenario = control.load_scenario(self._scenario_input)
            if self._behaviours:
                control.set_behaviours(**self._behaviours)
        except BaseException:
            server.server_close()
            raise
        self._server = server
        self.port = server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, name="qbusiness-emulator", daemon=True)
        self._thread.start()
        # Whoever binds a non-loopback address (the CLI with --allow-remote, or a program) hears what that exposes.
        if not is_loopback(self.host):
            print(REMOTE_WARNING.format(host=self.host, endpoint=self.endpoint_url), file=sys.stderr, flush=True)
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


def _print_ids(scenario: dict[str, Any]) -> None:
    print(f"scenario loaded (region {scenario['region']}, account {scenario['account_id']}):")
    for app in scenario.get("applications", []):
        print(f"  application {app['name']}: {app['application_id']}")
        for idx in app.get("indices", []):
            print(f"    index {idx['name']}: {idx['index_id']}")
            for ds in idx.get("data_sources", []):
                status = "" if ds.get("status", "ACTIVE") == "ACTIVE" else f", status {ds['status']}"
                documents = f", {len(ds['document_ids'])} documents" if ds.get("document_ids") else ""
                print(f"      data source {ds['name']}: {ds['data_source_id']} ({len(ds.get('execution_ids', []))} seeded jobs{documents}{status})")


def _print_request(entry: dict[str, Any]) -> None:
    fault = f" fault={entry['fault']}" if entry.get("fault") else ""
    print(f"{entry['operation']} {entry['region']} {entry['status_code']}{fault} {json.dumps(entry['params'], sort_keys=True)}", flush=True)


def _write_port_file(path: str, port: int) -> None:
    # Written via rename so a waiting Makefile never reads a half-written file.
    tmp = f"{path}.tmp{os.getpid()}"
    Path(tmp).write_text(f"{port}\n", encoding="utf-8")
    os.replace(tmp, path)


class StopSignals:
    """Waits for SIGTERM or SIGINT without taking any lock in the signal handler.

    A Python signal handler runs in the main thread between two bytecodes, possibly while that thread
    holds a lock (the one of a ``threading.Event`` it waits on, say: ``Event.set()`` from the handler
    then deadlocks). So the handler only stores the signal number and writes a byte to a pipe, and
    :meth:`wait` blocks in ``select`` on that pipe. The pipe is also the wakeup fd, so a signal that
    the kernel hands to another thread still wakes the select.
    """

    def __init__(self, signals: Iterable[int] = (signal.SIGTERM, signal.SIGINT)) -> None:
        self.received: int | None = None
        self._read_fd, self._write_fd = os.pipe()
        os.set_blocking(self._read_fd, False)
        os.set_blocking(self._write_fd, False)
        self._previous_wakeup_fd = signal.set_wakeup_fd(self._write_fd, warn_on_full_buffer=False)
        self._previous = {signum: signal.signal(signum, self._on_signal) for signum in signals}

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.received = signum
        with contextlib.suppress(OSError):  # pipe full: a byte is already there to wake wait()
            os.write(self._write_fd, b"\0")

    def wait(self, timeout: float | None = None) -> int | None:
        """Block until one of the signals has arrived (or ``timeout`` seconds passed); its number, or None."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.received is None:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                break
            if select.select([self._read_fd], [], [], left)[0]:
                with contextlib.suppress(BlockingIOError):
                    os.read(self._read_fd, 512)
        return self.received

    def close(self) -> None:
        """Put the previous handlers and wakeup fd back and close the pipe."""
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        self._previous = {}
        signal.set_wakeup_fd(self._previous_wakeup_fd)
        for fd in (self._read_fd, self._write_fd):
            os.close(fd)

    def __enter__(self) -> StopSignals:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def _behaviour_arg(text: str) -> tuple[str, Any]:
    try:
        return parse_assignment(text)
    except control.ControlError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


# Printed on stderr whenever the server binds a non-loopback address (only possible with allow_remote / --allow-remote).
REMOTE_WARNING = (
    "qbusiness-emulator: WARNING: listening on the non-loopback address {host} ({endpoint}). The emulator checks no "
    "signature and accepts any credentials, and its control API (/_emulator/: reset, seed history, set faults and the clock, read the request log) "
    "needs none: anyone who can reach this address can read and change its state. Use it only on a network you trust."
)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="qbusiness-emulator", description="Local Amazon Q Business emulator (moto backend).")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (loopback only unless --allow-remote)")
    parser.add_argument("--port", type=int, default=5000, help="port to bind; 0 picks a free one (default 5000)")
    parser.add_argument("--scenario", help="scenario JSON file to load at start")
    parser.add_argument("--port-file", help="write the bound port to this file once listening (removed on exit)")
    parser.add_argument("--log-requests", action="store_true", help="print every Q Business API request to stdout")
    parser.add_argument("--allow-remote", action="store_true", help="allow binding a non-loopback address")
    parser.add_argument(
        "--behaviour",
        action="append",
        default=[],
        type=_behaviour_arg,
        metavar="KEY=VALUE",
        help="set a behaviour switch (repeatable; VALUE is JSON, else a string), after the scenario's",
    )
    return parser.parse_args(argv)


def _serve(args: argparse.Namespace, stop: StopSignals) -> int:
    """Start, announce, wait for a stop signal, stop; the exit status."""
    server = EmulatorServer(args.host, args.port, scenario=args.scenario, allow_remote=args.allow_remote, behaviours=dict(args.behaviour))
    if args.log_requests:
        REQUEST_LOG.add_listener(_print_request)
    try:
        server.start()
    except (control.ControlError, OSError) as exc:
        print(f"qbusiness-emulator: {exc}", file=sys.stderr)
        return 2

    if args.port_file:
        try:
            _write_port_file(args.port_file, server.port)
        except OSError as exc:
            server.stop()
            print(f"qbusiness-emulator: cannot write --port-file: {exc}", file=sys.stderr)
            return 2

    print(f"qbusiness emulator listening on {server.endpoint_url}", flush=True)
    if server.scenario is not None:
        _print_ids(server.scenario)
    sys.stdout.flush()
    try:
        stop.wait()
    finally:
        server.stop()
        if args.port_file:
            with contextlib.suppress(OSError):
                os.unlink(args.port_file)
    print("qbusiness emulator stopped", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    """CLI entry point: ``python -m qbusiness_emulator`` / ``qbusiness-emulator``."""
    args = _parse_args(argv)
    if not args.allow_remote and not is_loopback(args.host):
        print(f"qbusiness-emulator: refusing to bind non-loopback host {args.host!r}; pass --allow-remote to do so", file=sys.stderr)
        return 2
    # Installed before binding, so a SIGTERM right after the port file appears still stops cleanly.
    with StopSignals() as stop:
        return _serve(args, stop)
