#!/usr/bin/env python3
"""The load driver: a separate process that talks HTTP to the app over loopback, like a browser
or an outside client would. Standard library only, so it costs the machine little.

Reads one job (JSON) on stdin, prints the measurements (JSON) on stdout:

    {"base": "http://127.0.0.1:8765", "kind": "get" | "post" | "roundtrip",
     "concurrency": 1, "warmup": 10,
     "requests": [...]}            # get: [{"url", "token"}]; post: [{"url", "token", "body"}]
                                   # roundtrip: [{"case": id, "department": id,
                                   #              "window_token", "liaison_token"}]

Each client thread sends its share of the requests one after the other (a new connection per
request: gunicorn's sync workers close it after each response). Latency is measured around the
whole request, connect to last byte.
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit


class Client:
    def __init__(self, base: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port

    def call(self, method: str, url: str, token: str, body: dict | None = None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        headers = {"Authorization": f"Token {token}", "Accept": "application/json", "Accept-Language": "zh-hans"}
        payload = None
        if body is not None:
            payload = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        try:
            conn.request(method, url, body=payload, headers=headers)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()


def run(job: dict) -> dict:
    client = Client(job["base"])
    kind = job["kind"]
    items = job["requests"]
    concurrency = max(1, int(job.get("concurrency", 1)))
    warmup = int(job.get("warmup", 0))
    errors: list[str] = []
    lock = threading.Lock()

    def one(item) -> tuple[float, list[float]]:
        """Returns (latency, step latencies); raises on an unexpected status."""
        started = time.perf_counter()
        if kind == "get":
            status, body = client.call("GET", item["url"], item["token"])
            if status != 200:
                raise RuntimeError(f"GET {item['url']} → {status} {body[:200]!r}")
            return time.perf_counter() - started, []
        if kind == "post":
            status, body = client.call("POST", item["url"], item["token"], item["body"])
            if status not in (200, 201):
                raise RuntimeError(f"POST {item['url']} → {status} {body[:300]!r}")
            return time.perf_counter() - started, []
        # roundtrip: dispatch (window) → accept (liaison) → feedback (liaison)
        steps = []
        status, body = client.call(
            "POST",
            f"/api/cases/{item['case']}/dispatch/",
            item["window_token"],
            {"department": item["department"], "instructions": "请核实处理"},
        )
        if status != 201:
            raise RuntimeError(f"dispatch → {status} {body[:300]!r}")
        dispatch_id = json.loads(body)["id"]
        steps.append(time.perf_counter() - started)
        status, body = client.call("POST", f"/api/dispatches/{dispatch_id}/accept/", item["liaison_token"])
        if status != 200:
            raise RuntimeError(f"accept → {status} {body[:300]!r}")
        steps.append(time.perf_counter() - started - sum(steps))
        status, body = client.call(
            "POST",
            f"/api/dispatches/{dispatch_id}/feedback/",
            item["liaison_token"],
            {"result": "经调解双方达成一致", "resolved": True},
        )
        if status != 200:
            raise RuntimeError(f"feedback → {status} {body[:300]!r}")
        steps.append(time.perf_counter() - started - sum(steps))
        return time.perf_counter() - started, steps

    for item in items[:warmup]:
        try:
            one(item)
        except Exception as exc:
            errors.append(f"warmup: {exc}")
    measured = items[warmup:]
    shares = [measured[i::concurrency] for i in range(concurrency)]
    latencies: list[float] = []
    steps: list[list[float]] = []

    def worker(share):
        mine, mine_steps = [], []
        for item in share:
            try:
                latency, step = one(item)
            except Exception as exc:
                with lock:
                    errors.append(str(exc))
                continue
            mine.append(latency)
            if step:
                mine_steps.append(step)
        with lock:
            latencies.extend(mine)
            steps.extend(mine_steps)

    threads = [threading.Thread(target=worker, args=(share,)) for share in shares]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {"latencies": latencies, "steps": steps, "wall": wall, "errors": errors[:20], "error_count": len(errors)}


def main() -> None:
    job = json.load(sys.stdin)
    json.dump(run(job), sys.stdout)


if __name__ == "__main__":
    main()
