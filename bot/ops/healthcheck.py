"""`python -m bot.ops.healthcheck`: the container health check. Exit 0 when /healthz answers 200.

Slim images have no curl, so this asks with the standard library. It is a module rather
than a `python -c "..."` one-liner because podman-compose 1.0.x re-quotes healthcheck
commands and breaks anything with quotes or parentheses in it.

    python -m bot.ops.healthcheck [PATH]      # PATH defaults to /healthz; /readyz also works
"""
from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def main(argv: list[str]) -> int:
    path = argv[0] if argv else "/healthz"
    port = os.environ.get("ADVISOR_HTTP_PORT", "8080").strip() or "8080"
    url = f"http://127.0.0.1:{port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            ok = response.status == 200
    except (urllib.error.URLError, OSError) as exc:
        print(f"{url}: {exc}", file=sys.stderr)
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
