"""What the crash and load tests share: a `karta serve` process on 127.0.0.1 and a write token
for its database."""

import subprocess
import sys
from urllib.parse import urlsplit


def create_token(karta, db):
    """A new write token for the database `db` (created when missing)."""
    return subprocess.run(
        [karta, "token", "create", "--db", db],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def serve(karta, db, demo=False):
    """Starts `karta serve` on a free loopback port; the process, its host and its port."""
    args = [karta, "serve", "--addr", "127.0.0.1:0", "--db", db]
    if not demo:
        args.append("--no-demo")
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = child.stdout.readline().strip()
    if not line.startswith("listening on "):
        child.kill()
        sys.exit(f"unexpected first line of karta serve: {line!r}")
    url = urlsplit(line.removeprefix("listening on "))
    return child, url.hostname, url.port
