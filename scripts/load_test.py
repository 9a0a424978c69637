"""The load test of issue 19: clients mixing reads and writes against `karta serve` on
127.0.0.1 for a bounded time. It reports requests per second, latencies and errors, then checks
that every write answered 201 is stored. Nothing leaves the loopback interface.

Usage: python3 scripts/load_test.py KARTA_BINARY [--clients 20] [--seconds 30] [--writes 0.1]
"""

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection

from karta_process import create_token, serve

# Longest run allowed, so that the test stays bounded whatever it is asked.
MOST_SECONDS = 300

READS = [
    "/api/events?limit=50",
    "/api/events.geojson?bbox=44,38,48,42",
    "/api/events?near=46.75,39.82&radius_km=50",
    "/api/events?q=shelling&limit=20",
    "/api/events.csv?type=battles,protests&from=2020-01-01",
    "/healthz",
]


class Client(threading.Thread):
    """One client: a keep-alive connection, reads and writes until the deadline."""

    def __init__(self, number, host, port, token, deadline, writes):
        super().__init__()
        self.number, self.token, self.deadline, self.writes = number, token, deadline, writes
        self.conn = HTTPConnection(host, port, timeout=60)
        self.latencies, self.errors, self.stored, self.busy = [], [], [], 0
        self.random = random.Random(number)

    def request(self, method, path, body=None):
        headers = {}
        if body is not None:
            headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        started = time.monotonic()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        self.latencies.append(time.monotonic() - started)
        return response.status, data

    def run(self):
        count = 0
        while time.monotonic() < self.deadline:
            count += 1
            try:
                if self.random.random() < self.writes:
                    text = (
                        f"Client {self.number}, report {count}: protesters gathered in Yerevan "
                        f"and shelling was reported near Stepanakert."
                    )
                    body = json.dumps({"text": text, "lang": "en", "published": "2020-10-05"})
                    status, data = self.request("POST", "/api/documents", body)
                    if status == 201:
                        self.stored.append(json.loads(data)["document"]["id"])
                    elif status == 503:
                        # More ingest than karta takes at once (--jobs, --queue): refused with
                        # Retry-After, by design.
                        self.busy += 1
                    elif status != 200:
                        self.errors.append(f"POST {status}")
                else:
                    path = self.random.choice(READS)
                    status, _ = self.request("GET", path)
                    if status != 200:
                        self.errors.append(f"GET {path} {status}")
            except OSError as e:
                self.errors.append(f"{type(e).__name__}: {e}")
                self.conn.close()


def percentile(values, p):
    """The p-th percentile of a sorted list."""
    return values[min(len(values) - 1, int(len(values) * p / 100))] if values else 0.0


def lost_writes(host, port, stored):
    """The ids of the documents answered 201 that are not stored."""
    conn = HTTPConnection(host, port, timeout=60)
    lost = []
    for doc in stored:
        conn.request("GET", f"/api/documents/{doc}")
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            lost.append(doc)
    return lost


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("karta")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--writes", type=float, default=0.1, help="share of requests that write")
    args = parser.parse_args()
    seconds = min(args.seconds, MOST_SECONDS)
    with tempfile.TemporaryDirectory() as folder:
        db = os.path.join(folder, "karta.db")
        token = create_token(args.karta, db)
        child, host, port = serve(args.karta, db, demo=True)
        try:
            deadline = time.monotonic() + seconds
            clients = [
                Client(i, host, port, token, deadline, args.writes) for i in range(args.clients)
            ]
            started = time.monotonic()
            for c in clients:
                c.start()
            for c in clients:
                c.join()
            took = time.monotonic() - started
            latencies = sorted(t for c in clients for t in c.latencies)
            errors = [e for c in clients for e in c.errors]
            stored = [d for c in clients for d in c.stored]
            busy = sum(c.busy for c in clients)
            lost = lost_writes(host, port, stored)
        finally:
            child.terminate()
            child.wait()
    print(
        f"load test: {args.clients} clients, {took:.0f} s, {len(latencies)} requests "
        f"({len(latencies) / took:.0f}/s), {len(stored)} documents written, {busy} writes "
        f"refused busy (503); "
        f"latency p50 {percentile(latencies, 50) * 1e3:.1f} ms, "
        f"p99 {percentile(latencies, 99) * 1e3:.1f} ms; {len(errors)} errors, "
        f"{len(lost)} writes lost"
    )
    for e in sorted(set(errors))[:10]:
        print(f"  error: {e}")
    if errors or lost:
        sys.exit(1)


if __name__ == "__main__":
    main()
