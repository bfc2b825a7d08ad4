#!/usr/bin/env python3
"""moto's server for the tests, with DynamoDB's per-item atomicity.

    .venv/bin/python scripts/moto_server.py -H 127.0.0.1 -p 5055

moto checks a write's condition and then writes without a lock, so two
concurrent conditional writes to one item can both pass: the conformance
suite saw ten concurrent `UpdateItem`s conditioned on version 1 apply twice
(version 3) on a busy machine. DynamoDB applies each item write, and each
transaction, atomically. This runs moto's own WSGI application with its
DynamoDB requests taken one at a time, so the tests get DynamoDB's
guarantee; S3 and SQS requests (an SQS long poll among them) still run side
by side. Everything else is `moto_server` as shipped.
"""

import argparse
import os
import signal
import sys
import threading

from werkzeug.serving import run_simple

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)


class DynamoDbOneAtATime:
    """WSGI middleware: requests whose X-Amz-Target names DynamoDB hold one lock."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            return self.app(environ, start_response)
        with self.lock:
            # moto answers with a complete body; read it inside the lock.
            return list(self.app(environ, start_response))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-H", "--host", default="127.0.0.1")
    p.add_argument("-p", "--port", type=int, default=5000)
    a = p.parse_args()
    # As moto_server does: queue URLs and the like name this port.
    os.environ.setdefault("MOTO_PORT", str(a.port))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(a.host, a.port, DynamoDbOneAtATime(app), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
