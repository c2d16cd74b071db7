"""Bulk loading for generated data: COPY on PostgreSQL (psycopg 3's copy API), executemany on
SQLite. Far faster than the ORM row by row, and it keeps explicit ids so rows can point at each
other before they are written."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import Max, Model


def _copy_rows(raw_connection, table: str, columns: str, rows: list[tuple], json_positions: list[int]) -> None:
    with raw_connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            if json_positions:
                row = list(row)
                for i in json_positions:
                    value = row[i]
                    row[i] = "{}" if value == {} else json.dumps(value, ensure_ascii=False)
            copy.write_row(row)


class CopyPipeline:
    """Sends the COPY batches of several writers from a background thread, in the order they were
    flushed, on the current connection and transaction: building rows (Python, one core) and
    loading them (the PostgreSQL server, the other core) overlap. Until `close()` the caller must
    not use the database connection itself. PostgreSQL only."""

    def __init__(self, depth: int = 3):
        connection.ensure_connection()
        self.raw = connection.connection
        self.batches: queue.Queue = queue.Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="copy-pipeline", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (batch := self.batches.get()) is not None:
            if self.error is None:
                try:
                    _copy_rows(self.raw, *batch)
                except BaseException as exc:  # re-raised in the caller's thread
                    self.error = exc

    def submit(self, table: str, columns: str, rows: list[tuple], json_positions: list[int]) -> None:
        if self.error is not None:
            raise self.error
        self.batches.put((table, columns, rows, json_positions))

    def close(self) -> None:
        """Wait for the batches sent so far; re-raise the first error. Safe to call twice."""
        if self.thread.is_alive():
            self.batches.put(None)
            self.thread.join()
        if self.error is not None:
            error, self.error = self.error, None
            raise error


class BulkWriter:
    def __init__(
        self,
        model: type[Model],
        fields: list[str],
        *,
        batch_size: int = 20000,
        pipeline: CopyPipeline | None = None,
    ):
        self.model = model
        self.fields = [model._meta.get_field(name) for name in fields]
        self.columns = [field.column for field in self.fields]
        self.batch_size = batch_size
        self.pipeline = pipeline
        self.rows: list[tuple] = []
        self.written = 0
        self.json_positions = [i for i, f in enumerate(self.fields) if f.get_internal_type() == "JSONField"]

    def add(self, *values) -> None:
        self.rows.append(values)
        if len(self.rows) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        if self.pipeline is not None:
            self.pipeline.submit(table, columns, self.rows, self.json_positions)
        elif connection.vendor == "postgresql":
            connection.ensure_connection()
            _copy_rows(connection.connection, table, columns, self.rows, self.json_positions)
        else:
            prepared = [
                tuple(
                    field.get_db_prep_value(value, connection, prepared=False)
                    for field, value in zip(self.fields, row, strict=True)
                )
                for row in self.rows
            ]
            placeholders = ", ".join(["%s"] * len(self.columns))
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", prepared)
        self.written += len(self.rows)
        self.rows = []


def allocate_ids(model: type[Model], count: int) -> list[int]:
    """`count` primary keys for rows about to be written with explicit ids by a live system (an
    import), taken from the table's sequence on PostgreSQL so that they never collide with rows
    other sessions insert meanwhile. On SQLite the writer holds the database lock (transactions
    begin IMMEDIATE), so the next ids after the largest are free."""
    if count <= 0:
        return []
    if connection.vendor == "postgresql":
        table, pk = model._meta.db_table, model._meta.pk.column
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count]
            )
            return [row[0] for row in cursor.fetchall()]
    first = next_id(model)
    return list(range(first, first + count))


def next_id(model: type[Model]) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def reset_sequences(*models: type[Model]) -> None:
    """After writing explicit ids, move PostgreSQL's sequences past them (SQLite needs nothing)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            pk = model._meta.pk.column
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE((SELECT MAX({pk}) FROM {table}), 1))",
                [table, pk],
            )


@contextmanager
def secondary_structures_deferred(*models: type[Model]) -> Iterator[None]:
    """For a large load into these tables (the PostgreSQL manual, "Populating a Database"): drop
    their secondary indexes and foreign keys, load, then build each index once with a sort and
    check each foreign key with one join — instead of millions of incremental index updates and
    per-row trigger checks at commit. Must run inside a transaction (it is all one transaction:
    a failure restores every index and constraint), and it locks the tables and the tables they
    refer to until the commit: for loading a database, not for a live system. Primary keys and
    unique constraints stay in place; a unique *index* (a conditional unique constraint) is
    dropped and rebuilt, which checks it again over all rows. A no-op on SQLite."""
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("secondary_structures_deferred() must run inside transaction.atomic()")
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        # PostgreSQL alters no table with pending (deferred) foreign-key checks — rows written
        # earlier in this transaction that refer to these tables or that they refer to: run those
        # checks now (they would run at the commit anyway), then defer again.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            """SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
               FROM pg_constraint c
               WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])
               ORDER BY c.conrelid::regclass::text, c.conname""",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
               FROM pg_index i
               WHERE i.indrelid = ANY(%s::regclass[])
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
               ORDER BY 1""",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
