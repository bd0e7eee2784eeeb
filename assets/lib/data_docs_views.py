"""Great Expectations' Data Docs page views, with the compiled Jinja templates kept for the process, and its
index builder keeping the pages of archived results.

GX builds a new Jinja environment for every page it renders, so each validation compiled the same
54 templates again (about half a second of a small source's validation). These views are GX's own
with one change: a bytecode cache shared by every environment of the process. Jinja keys it by the
template's name and source checksum, so a changed template is compiled again.
"""

from __future__ import annotations

from great_expectations.render.renderer.site_builder import DefaultSiteIndexBuilder
from great_expectations.render.view import DefaultJinjaIndexPageView, DefaultJinjaPageView
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class _InMemoryBytecodeCache(BytecodeCache):
    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _InMemoryBytecodeCache()


class _TemplatesCompiledOnce:
    """Set on a GX view: its Jinja environment uses the process's bytecode cache."""

    # the arguments named, not *args: GX passes a view only the arguments its signature names
    def __init__(self, custom_styles_directory: str | None = None, custom_views_directory: str | None = None) -> None:
        super().__init__(custom_styles_directory, custom_views_directory)  # type: ignore[call-arg]
        self.env.bytecode_cache = _COMPILED  # type: ignore[attr-defined]


class PageView(_TemplatesCompiledOnce, DefaultJinjaPageView):
    pass


class IndexPageView(_TemplatesCompiledOnce, DefaultJinjaIndexPageView):
    pass


class IndexKeepingPages(DefaultSiteIndexBuilder):
    """GX's index builder, listing the validations whose results are in the store rather than every page.

    The store keeps the newest validations' results only (validation.archive_old_results moves the rest to
    .results-archive), so that the index GX rebuilds after every validation reads a bounded number of them.
    GX's own builder lists every page on disk and deletes the pages without a stored result; this one lists
    the stored results, so the older pages stay (the Data Docs links on earlier materializations keep
    opening) and the listing does not grow with them. It deletes no suite's expectations page either."""

    def _add_expectations_to_index_links(self, index_links_dict, skip_and_clean_missing: bool) -> None:
        # each validation's context holds its own suite only: GX deleted every other suite's page, so the index
        # listed the last suite validated and the other validation pages' links to their suites went nowhere
        super()._add_expectations_to_index_links(index_links_dict, skip_and_clean_missing=False)

    def _build_validation_and_profiling_result_site_keys(self, skip_and_clean_missing: bool) -> list:
        store = self.site_section_builders_config["validations"].get("source_store_name")
        return list(self.data_context.stores[store].list_keys())
