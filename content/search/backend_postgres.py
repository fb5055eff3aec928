"""The segmenting search backend on PostgreSQL full-text search (see backend.py)."""

from django.db.models.sql.subqueries import InsertQuery
from modelsearch.backends.database.postgres import postgres
from modelsearch.utils import get_content_type_pk

from .backend import SegmentingIndexerMixin, SegmentingQueryMixin

IndexEntry = postgres.IndexEntry


class ObjectIndexer(SegmentingIndexerMixin, postgres.ObjectIndexer):
    pass


class PostgresIndex(postgres.PostgresIndex):
    def add_items(self, model, objs):
        # modelsearch 1.3.2's PostgresIndex.add_items with our ObjectIndexer: it names the
        # indexer class inside this method (no attribute to set), so keep in step when
        # modelsearch moves.
        if not model.get_search_fields():
            return
        indexers = [ObjectIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        compiler = InsertQuery(IndexEntry).get_compiler(connection=self.write_connection)
        rows_sql, params = [], []
        for indexer in indexers:
            vectors_sql = []
            params.extend((content_type_pk, indexer.id))
            for name in ("title", "autocomplete", "body"):
                value = compiler.prepare_value(
                    IndexEntry._meta.get_field(name), getattr(indexer, name)
                )
                sql, value_params = value.as_sql(compiler, self.write_connection)
                vectors_sql.append(sql)
                params.extend(value_params)
            params.extend((indexer.title_text, indexer.body_text))
            rows_sql.append(f"(%s, %s, {', '.join(vectors_sql)}, 1.0, %s, %s)")
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {IndexEntry._meta.db_table}
                    (content_type_id, object_id, title, autocomplete, body, title_norm,
                     title_text, body_text)
                (VALUES {", ".join(rows_sql)})
                ON CONFLICT (content_type_id, object_id)
                DO UPDATE SET title = EXCLUDED.title,
                              title_norm = 1.0,
                              autocomplete = EXCLUDED.autocomplete,
                              body = EXCLUDED.body,
                              title_text = EXCLUDED.title_text,
                              body_text = EXCLUDED.body_text
                """,  # noqa: S608 - the table name comes from the model; values are parameters
                params,
            )
        self._refresh_title_norms()


class PostgresQueryMixin(SegmentingQueryMixin):
    def build_tsquery_content(self, query, config=None, invert=False):
        return super().build_tsquery_content(self.segmented(query), config=config, invert=invert)


class PostgresSearchQueryCompiler(PostgresQueryMixin, postgres.PostgresSearchQueryCompiler):
    pass


class PostgresAutocompleteQueryCompiler(
    PostgresQueryMixin, postgres.PostgresAutocompleteQueryCompiler
):
    KEEP_SINGLE_CHARACTERS = True


class PostgresSearchBackend(postgres.PostgresSearchBackend):
    index_class = PostgresIndex
    query_compiler_class = PostgresSearchQueryCompiler
    autocomplete_query_compiler_class = PostgresAutocompleteQueryCompiler
