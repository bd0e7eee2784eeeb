"""Resources: the warehouse and the landing folder, configured here, never global."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from dagster import ConfigurableResource, InitResourceContext
from dagster_duckdb import DuckDBResource
from pydantic import PrivateAttr

from assets.lib import landing
from assets.lib.landing import LandedFile, SourceLayout
from assets.lib.sql import quoted_list

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_WAREHOUSE = PROJECT_DIR / "warehouse" / "policing.duckdb"
DEFAULT_LANDING = PROJECT_DIR / "warehouse" / "sample-landing"
SCHEMAS = ("core", "marts", "meta")
# the attached database of a run's working tables (the crime extracts as read and as validated): a file of its
# own beside the working copy, so that the blocks a national load's 36 M landed rows leave free stay out of the
# warehouse the publication copies (they made two thirds of a 2.3 GB file). Nothing published reads it, so its
# tables are written in this DuckDB's own storage format, not the v1.0.0 one the warehouse keeps for analysts'
# duckdb 1.x tools: writing the sample's 1.5 M extract rows took 3.4 to 4.2 s in v1.0.0's, 2.7 to 3.1 s in this.
SCRATCH = "scratch"
# databases whose schemas this process has made: a run opens a hundred connections, and creating the
# schemas on each cost a second a run
_SCHEMAS_MADE: set[str] = set()


def warehouse_path() -> Path:
    return Path(os.environ.get("POLICING_WAREHOUSE_PATH", DEFAULT_WAREHOUSE))


def landing_path() -> Path:
    return Path(os.environ.get("POLICING_LANDING_DIR", DEFAULT_LANDING))


class Warehouse(DuckDBResource):
    """The DuckDB warehouse runs write: a working copy that analysts never open.

    Writers go through `transaction()` so that a failed step, or a killed process, leaves every
    table as it was (DuckDB rolls back uncommitted work when the file is next opened). Analysts read
    `published`, which only `publish()` replaces, atomically, once a run's checks have passed.
    """

    published: str
    # True only where every step of a run executes in one process (the main job's execute_in_process): the run
    # then keeps one connection open. Under the daemon each step runs in a process of its own, and holding the
    # file's lock for a whole step would make the others fail to open it.
    hold_connection: bool = False
    _anchor: duckdb.DuckDBPyConnection | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        # One connection held open for the run: every connect() of its steps then shares the open database,
        # instead of opening the file, reading its catalog and checkpointing on close each time (40 to 70 ms,
        # a few hundred times a run). Closed when the run ends, which folds the WAL in.
        if not self.hold_connection:
            return
        Path(self.database).parent.mkdir(parents=True, exist_ok=True)
        self._anchor = duckdb.connect(self.database, config={"custom_user_agent": "dagster", **self.connection_config})

    def teardown_after_execution(self, context: InitResourceContext) -> None:
        if self._anchor is not None:
            self._anchor.close()
            self._anchor = None

    @contextmanager
    def get_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.database).parent.mkdir(parents=True, exist_ok=True)
        with super().get_connection() as conn:
            try:
                # once per database instance: every connection of a held-open run shares the attachment
                conn.execute(f"attach if not exists {quoted_list([str(self.scratch)])} as {SCRATCH} "
                             "(storage_version 'latest')")
                if self.database not in _SCHEMAS_MADE:
                    for schema in SCHEMAS:
                        conn.execute(f"create schema if not exists {schema}")
                    _SCHEMAS_MADE.add(self.database)
                yield conn
            finally:
                conn.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self.get_connection() as conn:
            conn.execute("begin transaction")
            try:
                yield conn
            except BaseException:
                conn.execute("rollback")
                raise
            conn.execute("commit")

    @property
    def scratch(self) -> Path:
        """The file of the run's working tables (SCRATCH), beside the working copy."""
        database = Path(self.database)
        return database.with_name(f"{database.stem}.{SCRATCH}{database.suffix}")

    def held_open(self) -> Warehouse:
        """This warehouse with one connection held open for a run (hold_connection). Built anew: Dagster
        initialises a resource from its constructor's arguments, so a pydantic model_copy(update=...) of it
        would run with the original setting."""
        return type(self)(**{**self.model_dump(), "hold_connection": True})

    def publish(self) -> Path:
        """Replace the published warehouse with the working copy, atomically.

        The copy is checkpointed (WAL folded in), copied beside the published file and renamed over
        it: a reader that already has the old file open keeps reading it until it reconnects; a new
        reader gets the new state; nobody ever sees half a copy.
        """
        published = Path(self.published)
        staging = published.with_name(f".{published.name}.publishing")
        try:
            with self.get_connection() as conn:
                conn.execute("checkpoint")
                shutil.copyfile(self.database, staging)
        except OSError as error:
            # a full disk (or any failed copy) leaves no half-written copy behind, and says so in words
            staging.unlink(missing_ok=True)
            reason = "the disk is full" if error.errno == errno.ENOSPC else os.strerror(error.errno or 0)
            raise OSError(error.errno, f"publication failed, the published warehouse is unchanged: {reason} "
                          f"({staging})") from error
        os.replace(staging, published)
        return published


def working_copy_of(published: Path) -> Path:
    """Where runs build the warehouse that is published at `published`."""
    return published.parent / ".build" / published.name


def make_warehouse(path: Path | None = None) -> Warehouse:
    published = path or warehouse_path()
    return Warehouse(
        database=str(working_copy_of(published)),
        published=str(published),
        # duckdb 2 files stay readable by analysts' duckdb 1.x tools; DuckDB would otherwise take up to 80%
        # of the machine's memory for a national load, and spills to disk past this limit instead
        connection_config={"storage_compatibility_version": "v1.0.0",
                           "memory_limit": os.environ.get("POLICING_DUCKDB_MEMORY", "4GB")},
    )


class LandingFolder(ConfigurableResource):
    """The folder files are delivered to, laid out as in SOURCES.md."""

    root: str

    @property
    def path(self) -> Path:
        return Path(self.root)

    def files(self, layout: SourceLayout) -> list[LandedFile]:
        return landing.discover(self.path, layout)

    def files_for_month(self, layout: SourceLayout, month: str) -> list[LandedFile]:
        return [f for f in self.files(layout) if f.month == month]

    def misnamed(self, layout: SourceLayout) -> list[Path]:
        return landing.misnamed(self.path, layout)

    def quarantine(self, file: Path, reason: str) -> Path:
        return landing.quarantine(self.path, file, reason)


class Exports(ConfigurableResource):
    """Where the board documents are written (default: warehouse/exports beside the warehouse), and
    the Great Expectations Data Docs of every validation (data-docs beside it)."""

    root: str

    @property
    def path(self) -> Path:
        return Path(self.root)

    @property
    def data_docs(self) -> Path:
        return self.path.parent / "data-docs"


def exports_path() -> Path:
    return Path(os.environ.get("POLICING_EXPORTS_DIR", warehouse_path().parent / "exports"))
