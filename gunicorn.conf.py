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
each), and a worker's idle keep-alive connections still wait in its event loop, not in its thread.
What a thread does not give is a second request served while one waits: a worker making a PDF serves
nothing else meanwhile. Where slow pages are common, raise the workers (WEB_CONCURRENCY: about twice
the cores) before the threads (GUNICORN_THREADS).
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY") or 2)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
# Seconds an idle keep-alive connection is kept open for the browser's next request.
keepalive = 5
