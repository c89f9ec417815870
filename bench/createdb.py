"""Create the benchmark's PostgreSQL database if it is missing (`make bench` calls this first)."""

import sys

import dj_database_url
import psycopg
from psycopg import sql


def main(url: str) -> None:
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        sys.exit(f"The benchmark runs on PostgreSQL, not {config['ENGINE']}: set BENCH_DATABASE_URL.")
    name = config["NAME"]
    params = {"host": config["HOST"] or None, "port": config["PORT"] or None, "user": config["USER"] or None}
    if config["PASSWORD"]:
        params["password"] = config["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}.")


if __name__ == "__main__":
    main(sys.argv[1])
