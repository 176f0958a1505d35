"""Everything the database holds, as bytes, for "is this secret stored anywhere?" checks."""

from __future__ import annotations

from pathlib import Path

from django.db import connection


def database_bytes() -> bytes:
    if connection.vendor == "sqlite":
        return _sqlite_files()
    if connection.vendor == "postgresql":
        return _postgres_rows()
    raise AssertionError(f"no dump for {connection.vendor}")


def _sqlite_files() -> bytes:
    """The database file and its write-ahead log, raw, as an attacker would copy them."""
    name = Path(connection.settings_dict["NAME"])
    assert name.is_file(), f"the test database must be a file on disk, not {name}"
    parts = [name.read_bytes()]
    for suffix in ("-wal", "-journal"):
        extra = name.with_name(name.name + suffix)
        if extra.exists():
            parts.append(extra.read_bytes())
    return b"\n".join(parts)


def _postgres_rows() -> bytes:
    """Every row of every table as text (bytea columns come out as hex)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')"
        )
        tables = cursor.fetchall()
        assert tables
        rows: list[str] = []
        for schema, table in tables:
            quoted = f"{connection.ops.quote_name(schema)}.{connection.ops.quote_name(table)}"
            cursor.execute(f"SELECT t::text FROM {quoted} t")  # noqa: S608 - names from the catalogue
            rows.extend(row[0] for row in cursor.fetchall())
    return "\n".join(rows).encode()


def encodings(secret: str) -> list[bytes]:
    """The ways a string could sit in a file or a dump: UTF-8, UTF-16, hex of UTF-8."""
    raw = secret.encode()
    return [raw, secret.encode("utf-16-le"), raw.hex().encode(), raw.hex().upper().encode()]


def assert_absent(secrets: dict[str, str], blob: bytes, where: str) -> None:
    for label, secret in secrets.items():
        for form in encodings(secret):
            assert form not in blob, f"{label} ({secret!r}) found in {where}"
