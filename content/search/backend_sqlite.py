"""The segmenting search backend on SQLite FTS5 (see backend.py)."""

from modelsearch.backends.database.sqlite import sqlite
from modelsearch.utils import get_content_type_pk

from .backend import SegmentingIndexerMixin, SegmentingQueryMixin


class ObjectIndexer(SegmentingIndexerMixin, sqlite.ObjectIndexer):
    pass


class SQLiteIndex(sqlite.SQLiteIndex):
    def add_items(self, model, objs):
        # modelsearch 1.3.2's SQLiteIndex.add_items with our ObjectIndexer: it names the indexer
        # class inside this method (no attribute to set), so keep in step when modelsearch moves.
        if not model.get_search_fields():
            return
        indexers = [ObjectIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        data = {
            indexer.id: {
                "title": indexer.title,
                "autocomplete": indexer.autocomplete,
                "body": indexer.body,
            }
            for indexer in indexers
        }
        entries = self.entries.filter(content_type_id=content_type_pk)
        indexed_ids = frozenset(
            entries.filter(object_id__in=data.keys()).values_list("object_id", flat=True)
        )
        for object_id in indexed_ids:
            entries.filter(object_id=object_id).update(**data[object_id])
        self.entries.bulk_create(
            sqlite.IndexEntry(content_type_id=content_type_pk, object_id=object_id, **fields)
            for object_id, fields in data.items()
            if object_id not in indexed_ids
        )
        self._refresh_title_norms()


class SQLiteQueryMixin(SegmentingQueryMixin):
    def build_search_query_content(self, query, config=None):
        return super().build_search_query_content(self.segmented(query), config=config)


class SQLiteSearchQueryCompiler(SQLiteQueryMixin, sqlite.SQLiteSearchQueryCompiler):
    pass


class SQLiteAutocompleteQueryCompiler(SQLiteQueryMixin, sqlite.SQLiteAutocompleteQueryCompiler):
    KEEP_SINGLE_CHARACTERS = True


class SQLiteSearchBackend(sqlite.SQLiteSearchBackend):
    index_class = SQLiteIndex
    query_compiler_class = SQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = SQLiteAutocompleteQueryCompiler
