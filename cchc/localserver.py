"""Starting a server beside this process (the benchmark's throughput run, the tests that run
gunicorn or a worker): a free port on loopback and the URL of the database this process uses."""

from __future__ import annotations

import socket
import urllib.parse

from django.db import connection


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    """The URL of the database this process uses, for a server started beside it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host = urllib.parse.quote(db.get("HOST") or "", safe="")
    auth = f"{db['USER']}@" if db.get("USER") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{db['NAME']}"
