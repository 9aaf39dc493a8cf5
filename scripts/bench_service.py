"""Benchmark the extraction service against a fake backend with a fixed latency.

    python scripts/bench_service.py [--requests 200] [--concurrency 20] [--latency 0.2] [--json]

In one process and one sitting (these machines are noisy, so read the ratios), with
the same fake OpenAI-compatible backend (`tests/fakeserver.py`, answering every call
after `--latency` seconds) and the `cues` strategy (one LLM call per article):

* direct: `Extractor.extract_articles` from `--concurrency` threads, `--requests` calls;
* service: the same calls as `POST /v1/extract` to `extractor serve` (uvicorn, its own
  process) on loopback: nothing may be lost (every answer 200, one article each);
  p50/p95 latency and the ratio to direct;
* throughput of the service at concurrency 1, 4 and 16, and its scaling (target ≥ 0.8×N);
* a job of `--requests` documents through the background worker (16 threads): all done.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import httpx  # noqa: E402
from fakeserver import FakeServer  # noqa: E402
from liveservice import ServeProcess, actors_answer  # noqa: E402

from extractor.extract import Extractor  # noqa: E402
from extractor.settings import Settings  # noqa: E402

TEXT = (
    "Fisheries talks, round {n}\n"
    "Karim Haddad will meet Joseph Borg in Valletta for round {n}, officials said.\n"
    'Haddad said "the talks will focus on fishing quotas".\n'
)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _load(call: Callable[[int], bool], requests: int, concurrency: int) -> dict[str, Any]:
    """`requests` calls from `concurrency` threads: wall time, latencies, failures."""
    latencies: list[float] = []

    def one(n: int) -> bool:
        t0 = time.perf_counter()
        ok = call(n)
        latencies.append(time.perf_counter() - t0)
        return ok

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        oks = list(pool.map(one, range(requests)))
    wall = time.perf_counter() - t0
    return {
        "requests": requests,
        "concurrency": concurrency,
        "ok": sum(oks),
        "lost": requests - sum(oks),
        "wall_s": round(wall, 3),
        "throughput_rps": round(requests / wall, 2),
        "p50_s": round(statistics.median(latencies), 4),
        "p95_s": round(_percentile(latencies, 0.95), 4),
    }


def bench(requests: int, concurrency: int, latency: float) -> dict[str, Any]:
    report: dict[str, Any] = {
        "backend_latency_s": latency,
        "strategy": "cues",
        "requests": requests,
        "concurrency": concurrency,
    }
    answer = lambda body: actors_answer(body, delay=latency)  # noqa: E731
    with FakeServer(default=answer) as backend, tempfile.TemporaryDirectory() as home:
        settings = Settings(
            strategy="cues", base_url=backend.base_url, model="m", use_cache=False, max_reasks=0
        )
        with Extractor(settings) as ex:

            def direct(n: int) -> bool:
                return len(ex.extract_articles(TEXT.format(n=n))) == 1

            direct(0)  # warm: client, lexicons
            report["direct"] = _load(direct, requests, concurrency)
        # The service runs as `extractor serve`, its own process, as it is deployed: the
        # load generator's threads here do not compete with it for one interpreter lock.
        args = [
            "--base-url", backend.base_url, "--model", "m", "--strategy", "cues", "--no-cache",
            "--max-reasks", "0", "--database-url", f"sqlite:///{Path(home) / 'jobs.sqlite3'}",
            "--max-inflight", "1000", "--workers", "16",
        ]  # fmt: skip
        env = {k: v for k, v in os.environ.items() if not k.startswith(("EXTRACTOR_", "OPENAI_"))}
        env["EXTRACTOR_HOME"] = home
        server = ServeProcess(args, env=env, log_path=Path(home) / "serve.log")
        server.wait_ready()
        with httpx.Client(
            base_url=server.url, timeout=60, limits=httpx.Limits(max_connections=64)
        ) as client:

            def service(n: int) -> bool:
                response = client.post("/v1/extract", json={"text": TEXT.format(n=n)})
                return response.status_code == 200 and len(response.json()["articles"]) == 1

            service(0)
            report["service"] = _load(service, requests, concurrency)
            report["service_over_direct"] = {
                "wall": round(report["service"]["wall_s"] / report["direct"]["wall_s"], 3),
                "p50": round(report["service"]["p50_s"] / report["direct"]["p50_s"], 3),
                "p95": round(report["service"]["p95_s"] / report["direct"]["p95_s"], 3),
            }
            scaling: dict[str, Any] = {}
            for c in (1, 4, 16):
                run = _load(service, max(8, 8 * c), c)
                scaling[str(c)] = {
                    k: run[k] for k in ("requests", "throughput_rps", "p50_s", "lost")
                }
            base = scaling["1"]["throughput_rps"]
            for c, run in scaling.items():
                run["speedup"] = round(run["throughput_rps"] / base, 2)
                run["speedup_over_n"] = round(run["throughput_rps"] / base / int(c), 3)
            report["throughput"] = scaling

            docs = [{"id": f"d{n}", "text": TEXT.format(n=n)} for n in range(requests)]
            t0 = time.perf_counter()
            job = client.post("/v1/jobs", json={"documents": docs}).json()["job_id"]
            while client.get(f"/v1/jobs/{job}").json()["status"] != "done":
                time.sleep(0.05)
            wall = time.perf_counter() - t0
            lines = client.get(f"/v1/jobs/{job}/results").text.splitlines()
            ids = sorted(json.loads(line)["id"] for line in lines)
            report["job"] = {
                "documents": requests,
                "worker_threads": 16,
                "wall_s": round(wall, 3),
                "documents_per_s": round(requests / wall, 2),
                "lines": len(lines),
                "lost": requests - len(set(ids)),
                "all_ok": all(json.loads(line)["ok"] for line in lines),
            }
        server.stop()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.2, help="backend seconds per call")
    parser.add_argument("--json", action="store_true", help="print the whole report as JSON")
    args = parser.parse_args()
    report = bench(args.requests, args.concurrency, args.latency)
    if args.json:
        print(json.dumps(report, indent=1))
        return
    d, s = report["direct"], report["service"]
    print(
        f"direct : {d['ok']}/{d['requests']} ok, p50 {d['p50_s']}s p95 {d['p95_s']}s, "
        f"{d['throughput_rps']} req/s"
    )
    print(
        f"service: {s['ok']}/{s['requests']} ok, lost {s['lost']}, p50 {s['p50_s']}s "
        f"p95 {s['p95_s']}s, {s['throughput_rps']} req/s"
    )
    print(f"service / direct: {report['service_over_direct']}")
    for c, run in report["throughput"].items():
        print(
            f"concurrency {c:>2}: {run['throughput_rps']} req/s, "
            f"speedup {run['speedup']} ({run['speedup_over_n']} × N)"
        )
    print(f"job: {report['job']}")


if __name__ == "__main__":
    main()
