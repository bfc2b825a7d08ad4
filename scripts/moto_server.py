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
by side.

moto 5.x also backs up every table a TransactWriteItems names with a deep
copy of the whole table — once per item of the transaction — to roll back
a cancelled one: a 100-item transaction on a table of 20,000 items copied
two million items, and a run of the API tests grew moto past 24 GB until
the kernel killed it. Here a transaction keeps the items it names instead
(the same rollback: every one of them as it was), so its cost no longer
grows with the table. Everything else is `moto_server` as shipped.
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


def light_transactions():
    """TransactWriteItems rolls back by the items it names, not a copy of each table."""
    import copy

    import moto.dynamodb.models as models
    from moto.dynamodb.models.table import Table

    class TablesUncopied:
        """`copy` for moto's DynamoDB backend, with tables kept as they are
        (the backend's own rollback then puts back the same table object)."""

        @staticmethod
        def deepcopy(x, memo=None):
            return x if isinstance(x, Table) else copy.deepcopy(x, memo)

        def __getattr__(self, name):
            return getattr(copy, name)

    models.copy = TablesUncopied()
    backend = models.DynamoDBBackend
    original = backend.transact_write_items

    def transact_write_items(self, transact_items):
        saved = []
        for entry in transact_items:
            try:
                _, op = next(iter(entry.items()))
                table = self.get_table(op["TableName"])
                key = op.get("Key")
                if key is None:
                    names = [table.hash_key_attr] + ([table.range_key_attr] if table.range_key_attr else [])
                    key = {n: op["Item"][n] for n in names}
                hash_key, range_key = self.get_keys_value(table, key)
                saved.append((table, hash_key, range_key, copy.deepcopy(table.get_item(hash_key, range_key))))
            except Exception:
                pass  # a malformed entry: the real method reports it before writing
        try:
            return original(self, transact_items)
        except Exception:
            # Oldest first wins: put every named item back as it was.
            for table, hash_key, range_key, item in reversed(saved):
                table.delete_item(hash_key, range_key)
                if item is not None:
                    if range_key is not None:
                        table.items[hash_key][range_key] = item
                    else:
                        table.items[hash_key] = item
            raise

    backend.transact_write_items = transact_write_items


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-H", "--host", default="127.0.0.1")
    p.add_argument("-p", "--port", type=int, default=5000)
    a = p.parse_args()
    # As moto_server does: queue URLs and the like name this port.
    os.environ.setdefault("MOTO_PORT", str(a.port))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    light_transactions()
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(a.host, a.port, DynamoDbOneAtATime(app), threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
