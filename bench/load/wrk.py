"""wrk (`-t 2 -c 20`) cycling through the mix with a generated Lua script, each request with its user's
session cookie, pausing between clicks or not; its latency percentiles, statuses and socket errors."""

import json
import subprocess
import tempfile
import time

from django.conf import settings

CONNECTIONS = 20
THREADS = 2
WRK = "/usr/bin/wrk"


LUA = r"""
local requests = {}
local threads = {}
local counter = 1

function setup(thread)
  thread:set("offset", #threads * 997)
  table.insert(threads, thread)
end

function init(args)
  local pairs_ = {
%(pairs)s
  }
  for i, p in ipairs(pairs_) do
    requests[i] = wrk.format("GET", p[1], {["Host"] = "127.0.0.1", ["Cookie"] = "%(cookie)s=" .. p[2]})
  end
  counter = (offset or 0) %% #requests + 1
  -- Each thread its own pauses: unseeded, both threads' Lua states would pause their connections alike.
  math.randomseed(7 + (offset or 0))
  statuses = {}
end

function request()
  local r = requests[counter]
  counter = counter %% #requests + 1
  return r
end

%(delay)s
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests_)
  local by_status = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for code, n in pairs(s) do
      by_status[code] = (by_status[code] or 0) + n
    end
  end
  local parts = {}
  for code, n in pairs(by_status) do
    table.insert(parts, string.format('"%%d": %%d', code, n))
  end
  local e = summary.errors
  io.write(string.format(
    'WRK-JSON {"p50": %%d, "p95": %%d, "p99": %%d, "max": %%d, "requests": %%d, "duration_us": %%d, ' ..
    '"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d, "by_status": {%%s}}\n',
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(parts, ", ")))
end
"""


def lua(mix, think_ms: int) -> str:
    pairs = ",\n".join(f'    {{"{path}", "{key}"}}' for _kind, path, key in mix)
    delay = (
        f"function delay()\n  return math.random({think_ms // 2}, {think_ms * 3 // 2})\nend\n"
        if think_ms
        else ""
    )
    return LUA % {"pairs": pairs, "cookie": settings.SESSION_COOKIE_NAME, "delay": delay}


def run_raw(port: int, mix, seconds: int, think_ms: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(lua(mix, think_ms))
        script.flush()
        completed = subprocess.run(
            [
                WRK,
                "-t",
                str(THREADS),
                "-c",
                str(CONNECTIONS),
                "-d",
                f"{seconds}s",
                "--timeout",
                "10s",
                "--latency",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}/",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        )
    line = next((x for x in completed.stdout.splitlines() if x.startswith("WRK-JSON ")), None)
    if completed.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({completed.returncode}):\n{completed.stdout}\n{completed.stderr}")
    return json.loads(line.removeprefix("WRK-JSON "))


def run(port: int, mix, seconds: int, think_ms: int) -> dict:
    raw = run_raw(port, mix, seconds, think_ms)
    by_status = {int(code): n for code, n in raw["by_status"].items()}
    # Anything but 200 is an error here: the mix was checked to be all 200s (a 302 is a lost session).
    status_errors = sum(n for code, n in by_status.items() if code != 200)
    sockets = {k: raw[k] for k in ("connect", "read", "write", "timeout")}
    duration_s = raw["duration_us"] / 1e6
    return {
        "p50_ms": round(raw["p50"] / 1000, 1),
        "p95_ms": round(raw["p95"] / 1000, 1),
        "p99_ms": round(raw["p99"] / 1000, 1),
        "max_ms": round(raw["max"] / 1000, 1),
        "requests": raw["requests"],
        "requests_per_s": round(raw["requests"] / duration_s, 1),
        "duration_s": round(duration_s, 1),
        "status_errors": max(status_errors, raw["status"]),
        "by_status": {str(code): n for code, n in sorted(by_status.items())},
        "socket_errors": sum(sockets.values()),
        "socket_errors_by_kind": sockets,
    }


def warm(port: int, mix, *, seconds: int) -> None:
    run_raw(port, mix, seconds, 0)
    # wrk stops with its last requests still queued at gunicorn: let them drain, or the measured run's
    # first requests wait behind the warm-up's.
    time.sleep(3)
