"""The crash test of issue 19: `karta serve` killed with SIGKILL in the middle of a batch
ingest, several rounds over one database file. Nothing acknowledged may be lost: every document
whose batch line was answered with an id is there after the restart, the R-tree matches the
store, and `PRAGMA integrity_check` says ok.

Usage: python3 scripts/crash_test.py KARTA_BINARY [--rounds 3] [--acknowledged 40]
Loopback only: the server listens on 127.0.0.1 on a port of its choosing.
"""

import argparse
import json
import os
import signal
import sqlite3
import sys
import tempfile
import time
import urllib.request
from http.client import HTTPConnection

from karta_process import create_token, serve


def batch(round_no, size):
    """JSON Lines of `size` documents, different in each round."""
    lines = []
    for i in range(size):
        text = (
            f"Round {round_no}, report {i}: shelling was reported near Stepanakert and "
            f"Ganja, and protesters gathered in Yerevan on day {i}."
        )
        lines.append(json.dumps({"text": text, "lang": "en", "published": "2020-10-05"}))
    return "\n".join(lines).encode()


def ingest_until_killed(child, host, port, token, body, wanted):
    """Posts the batch, reads answers until `wanted` documents are acknowledged, then kills the
    server with SIGKILL; the acknowledged ids."""
    conn = HTTPConnection(host, port, timeout=60)
    conn.request(
        "POST",
        "/api/documents/batch",
        body=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson"},
    )
    response = conn.getresponse()
    if response.status != 200:
        sys.exit(f"the batch got {response.status}")
    acknowledged = []
    while len(acknowledged) < wanted:
        line = response.readline()
        if not line:
            break
        answer = json.loads(line)
        if "id" in answer:
            acknowledged.append(answer["id"])
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    conn.close()
    if len(acknowledged) < wanted:
        sys.exit(f"the batch ended after {len(acknowledged)} documents: make it longer")
    return acknowledged


def check(karta, db, acknowledged):
    """Restarts the server and checks that every acknowledged document is there; the number of
    documents and events stored."""
    child, host, port = serve(karta, db)
    try:
        base = f"http://{host}:{port}"
        for doc in acknowledged:
            with urllib.request.urlopen(f"{base}/api/documents/{doc}") as r:
                if r.status != 200:
                    sys.exit(f"document {doc} was acknowledged but is gone")
        with urllib.request.urlopen(f"{base}/healthz") as r:
            health = json.load(r)
        if health["events"] != health["indexed"]:
            sys.exit(f"the R-tree does not match the store: {health}")
        return health["documents"], health["events"]
    finally:
        child.terminate()
        child.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("karta")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--acknowledged", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = os.path.join(folder, "karta.db")
        token = create_token(args.karta, db)
        acknowledged = []
        started = time.monotonic()
        for round_no in range(1, args.rounds + 1):
            child, host, port = serve(args.karta, db)
            body = batch(round_no, 20 * args.acknowledged)
            acknowledged += ingest_until_killed(child, host, port, token, body, args.acknowledged)
            documents, events = check(args.karta, db, acknowledged)
            print(
                f"round {round_no}: killed after {len(acknowledged)} acknowledged documents "
                f"in all; {documents} stored, {events} events, all acknowledged there"
            )
        integrity = sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            sys.exit(f"PRAGMA integrity_check: {integrity}")
        print(
            f"crash test: {args.rounds} SIGKILLs, {len(acknowledged)} acknowledged documents, "
            f"none lost, integrity_check ok ({time.monotonic() - started:.1f} s)"
        )


if __name__ == "__main__":
    main()
