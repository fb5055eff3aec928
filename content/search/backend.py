"""Wagtail's database search backend with Chinese word segmentation (jieba).

SQLite FTS5 (unicode61) and PostgreSQL's default parser both keep a run of Chinese text as one
token, so 燃气 never matches 城镇燃气经营安全重大隐患判定标准. We change two things only, and leave
ranking, filters, facets, autocomplete, rebuilds and `update_index` to modelsearch:

- index time: `ObjectIndexer.prepare_value`, where each field's text is prepared for the index,
  returns the text cut by `segment_for_index` (words separated by spaces);
- query time: the query compiler's method that turns a `PlainText` / `Phrase` into search terms
  receives the query with its words cut by `segment_query`.

The classes per database are in `backend_sqlite.py` and `backend_postgres.py`, imported only for
their database (modelsearch's SQLite module needs a model that exists on SQLite only).

Settings: WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "content.search.backend"}}.
After changing safety_terms.txt, run `manage.py update_index` (indexed text is segmented once).
"""

from django.db import connection
from modelsearch.backends import database
from modelsearch.backends.database.fallback import DatabaseSearchBackend as FallbackBackend
from modelsearch.query import Phrase, PlainText

from .segment import segment_for_index, segment_query


class SegmentingIndexerMixin:
    """For modelsearch's ObjectIndexer: every field's text goes into the index segmented."""

    def prepare_value(self, value):
        text = super().prepare_value(value)
        # Lists and dicts come back joined from items that already went through this method.
        return text if isinstance(value, list | dict) else segment_for_index(text)


class SegmentingQueryMixin:
    """For modelsearch's query compilers: `segmented(query)` before terms are built from it."""

    # Autocomplete keeps a trailing single character: it is the prefix being typed (城镇燃…).
    KEEP_SINGLE_CHARACTERS = False

    def segmented(self, query):
        if not isinstance(query, PlainText | Phrase):
            return query
        words = segment_query(
            query.query_string, keep_single_characters=self.KEEP_SINGLE_CHARACTERS
        )
        if not words:  # nothing but punctuation: leave modelsearch's behaviour alone
            return query
        if isinstance(query, Phrase):
            return Phrase(" ".join(words))
        return PlainText(" ".join(words), operator=query.operator, boost=query.boost)


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    """The segmenting backend for the default database, where modelsearch would pick its own.

    SQLite without FTS5 and other databases get modelsearch's backend unchanged (the fallback
    backend matches substrings, which needs no segmentation).
    """
    backend = database.SearchBackend(params)
    if isinstance(backend, FallbackBackend):
        return backend
    if connection.vendor == "sqlite":
        from .backend_sqlite import SQLiteSearchBackend

        return SQLiteSearchBackend(params)
    if connection.vendor == "postgresql":
        from .backend_postgres import PostgresSearchBackend

        return PostgresSearchBackend(params)
    return backend
