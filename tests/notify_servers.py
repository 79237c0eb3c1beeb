"""Real servers on 127.0.0.1 for the notify tests: an SMTP server (aiosmtpd) that keeps
what it receives, and an HTTP server for Apprise's `json://` and `form://` webhooks. Each
binds a free port, answers within bounded timeouts and stops when the test ends."""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

SMTP_USER = "desk-robot"
SMTP_PASSWORD = "s3cret-Pa55word"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Mailbox:
    """What the SMTP server received: (envelope sender, recipients, parsed message)."""

    port: int
    received: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


def _login(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
    ok = (
        isinstance(data, LoginPassword)
        and data.login == SMTP_USER.encode()
        and data.password == SMTP_PASSWORD.encode()
    )
    return AuthResult(success=ok)


def smtp_server() -> Iterator[Mailbox]:
    """An SMTP server that wants `SMTP_USER`/`SMTP_PASSWORD` (plain: it is local)."""
    box = Mailbox(free_port())
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=box.port,
        authenticator=_login,
        auth_require_tls=False,
        ready_timeout=10,
    )
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


def text_and_html(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and the HTML part of a received message (mail's CRLF read as LF)."""
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    texts = (str(part.get_content()) for part in (plain, html))
    a, b = (text.replace("\r\n", "\n") for text in texts)
    return a, b


@dataclass
class Hooks:
    """What the webhook server received: (path, content type, body)."""

    port: int
    received: list[tuple[str, str, bytes]] = field(default_factory=list)


def webhook_server() -> Iterator[Hooks]:
    hooks = Hooks(0)

    class Handler(BaseHTTPRequestHandler):
        timeout = 10

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(min(length, 1 << 20))
            hooks.received.append((self.path, self.headers.get("Content-Type", ""), body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.timeout = 10
    hooks.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield hooks
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
