"""gunicorn's settings for the web service: gunicorn reads ./gunicorn.conf.py from where it starts
(the image's /app, and the project root for the benchmark's load figure).

Threaded workers (gthread): a connection that waits on its client (a browser's idle keep-alive, a slow
upload over a poor link) waits in the worker's event loop, not in one of its threads. A sync worker is
held by such a connection until it sends its request; the load benchmark (bench/, figure 7) measured
a p95 of 1.5 s with 20 users pausing between clicks for exactly that reason. Django keeps one database
connection per thread (CONN_MAX_AGE), so PostgreSQL sees workers x threads connections.

One thread a worker by default. The pages are CPU work in Python, and a worker's threads take turns
at one interpreter lock: in the load figure's closed loop (2 workers, 2 cores, 2026-12-06) one thread
served 8% more requests a second than two or four (74.8 against 69.1; 66.8 against 61.5; three turns
each; again with four threads: 17.7 ms of a worker's CPU a request against 15.3-17.2 with one), and a
worker's idle keep-alive connections still wait in its event loop, not in its thread. A worker accepts
connections while its thread is busy, and a kept-alive connection stays with the worker that took it:
a burst of new connections can all land on one worker (the load figure saw wrk's 20 on one, the other
idle, in about one turn in four; it runs such a turn again: bench/figures/load.py). What a thread
does not give is a second request served while one waits: a worker making a PDF serves nothing else
meanwhile. Where slow pages are common, raise the workers (WEB_CONCURRENCY: about twice
the cores) before the threads (GUNICORN_THREADS).

A new connection that has sent nothing yet (a browser's preconnect, a port scan, a slow client) is
kept by gunicorn's gthread worker in one of its threads for up to 5 seconds before it is handed to the
event loop (``gunicorn.workers.gthread.DEFAULT_WORKER_DATA_TIMEOUT`` of gunicorn 27). With one
thread a worker, two such connections stopped this service for 5 seconds (measured 2026-12-06: /healthz
answered in 4.8 s with two idle connections open, 3 ms with one). Here a thread waits at most
``FIRST_BYTES_WAIT`` seconds; a client that has sent nothing by then waits in the event loop, like a
kept-alive one (tests/test_gunicorn.py opens such connections against this file's settings), and is
closed if it sends nothing within ``keepalive`` seconds more. gunicorn bounds one other wait with the
same value: reading what is left of a request body the application did not read, before keeping the
connection alive; past it the connection is closed rather than kept (the client opens another).
"""

import os

from gunicorn.workers import gthread

workers = int(os.environ.get("WEB_CONCURRENCY") or 2)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
# Seconds an idle keep-alive connection is kept open for the browser's next request.
keepalive = 5
# A request's first bytes follow its connection within a round trip; longer, the thread lets it go.
FIRST_BYTES_WAIT = 0.1
gthread.DEFAULT_WORKER_DATA_TIMEOUT = FIRST_BYTES_WAIT
