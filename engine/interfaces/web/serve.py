"""`appealable serve`: run the workbench with uvicorn, on the loopback address unless told otherwise."""

from __future__ import annotations

import ipaddress
import sys

from engine.interfaces.web.security import LOOPBACK


def is_loopback(host: str) -> bool:
    if host in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(host: str = "127.0.0.1", port: int = 8000, rule_paths=None, log_level: str = "warning") -> int:
    import uvicorn

    from engine.interfaces.web.app import create_app

    allowed = None
    if not is_loopback(host):
        print(
            f"warning: serving on {host}: anyone who can reach this machine on port {port} can use the workbench "
            "(it has no login); use --host 127.0.0.1 to keep it to this machine",
            file=sys.stderr,
        )
        allowed = ["*"]
    app = create_app(rule_paths, allowed_hosts=allowed)
    shown = f"[{host}]" if ":" in host else host
    print(
        f"appealable workbench on http://{shown}:{port}/ (Ctrl-C stops it; drafts live in memory only)", file=sys.stderr
    )
    sys.stderr.flush()
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False)
    return 0
