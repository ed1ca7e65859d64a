"""`akasse serve-site SITE`: the built site over HTTP on localhost (the standard library's http.server)."""

from __future__ import annotations

import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site's files; logs nothing per request (the CLI prints the address once)."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the stdlib's signature)
        return


def site_server(site: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """An HTTP server for the files under SITE (port 0 picks a free port: see `server_address`)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    return ThreadingHTTPServer((host, port), handler)
