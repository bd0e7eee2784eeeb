"""The board paper's figures beyond the national measures and the KPIs: firearms recovered, warrants,
drug treatment, fraud, homicide and neighbourhood shares, recruitment at the report's dates.

One model per topic, ``sql/marts/paper_<topic>.sql``, each in the long shape that
``sql/marts/board_paper_figures.sql`` describes, and their union ``marts.board_paper_figures``, which
the workbook and the draft statement read. A topic's model becomes an asset by being in the folder.
"""

from dagster import AssetsDefinition, MaterializeResult, asset

from assets.lib.resources import Warehouse
from assets.lib.sql import MART_TABLE, SQL_DIR, build_table, model_description, sql_deps, table_metadata

GROUP = "marts"
PAPER_MODELS = tuple(sorted(path.stem for path in (SQL_DIR / "marts").glob("paper_*.sql")))


def _mart_asset(model: str) -> AssetsDefinition:
    @asset(name=model, group_name=GROUP, **MART_TABLE, deps=sql_deps(model),
           description=f"marts.{model}: {model_description(model)}")
    def build(warehouse: Warehouse) -> MaterializeResult:
        with warehouse.transaction() as conn:
            table = build_table(conn, model)
            return MaterializeResult(metadata=table_metadata(conn, table))

    return build


paper_figure_assets = [_mart_asset(model) for model in (*PAPER_MODELS, "board_paper_figures")]
