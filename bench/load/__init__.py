"""The load figure's machinery (the figure is bench/figures/load.py): scenario (the users, their sessions
and the mix of pages they fetch), server (gunicorn with the benchmark's database, and fetching from it one
request at a time), wrk (the generated Lua script, the runs and their results)."""
