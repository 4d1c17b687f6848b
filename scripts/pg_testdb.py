"""Create or drop the throw-away PostgreSQL database of a test run.

Usage: pg_testdb.py create|drop NAME. Exits 3 when the server cannot be reached.
"""
import os
import sys

import psycopg

ADMIN_URL = os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def main() -> int:
    action, name = sys.argv[1], sys.argv[2]
    try:
        conn = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        print(f"PostgreSQL is not reachable at {ADMIN_URL}: {error}", file=sys.stderr)
        return 3
    with conn:
        if action == "create":
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
        elif action == "drop":
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
