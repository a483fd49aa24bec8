"""Ranked full-text search of the contract mirror: PostgreSQL ``tsvector`` on a GIN index, SQLite FTS5.

Migration 0009 builds both indexes; each word of the query must match the start of an indexed word (so
"emp" finds "employees"), and ``search_rank`` orders the matches: an id or name match above a tag, owner or
domain match, above a property name, above the description.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet, Value
from django.db.models.expressions import RawSQL

from dc43_portal.contracts.models import Contract

# The same split as the indexes: letters and digits, anything else separates words.
_WORD = re.compile(r"[^\W_]+")
MAX_WORDS = 16

# bm25 weights of the FTS5 columns (title, terms, properties, description); ts_rank's default D,C,B,A weights.
_FTS_MATCH = "contracts_contract.id IN (SELECT rowid FROM contracts_contract_fts WHERE contracts_contract_fts MATCH %s)"
_FTS_RANK = (
    "(SELECT -bm25(contracts_contract_fts, 10.0, 4.0, 2.0, 1.0) FROM contracts_contract_fts"
    " WHERE contracts_contract_fts MATCH %s AND rowid = contracts_contract.id)"
)
_PG_MATCH = "contracts_contract.search_vector @@ to_tsquery('simple', %s)"
_PG_RANK = "ts_rank(contracts_contract.search_vector, to_tsquery('simple', %s))"


def search_words(query: str) -> list[str]:
    return _WORD.findall(query.lower())[:MAX_WORDS]


def with_search(contracts: QuerySet[Contract], query: str) -> QuerySet[Contract]:
    """Only the contracts matching every word of ``query``, annotated with ``search_rank`` (0 without a query)."""
    words = search_words(query)
    if not words:
        return contracts.annotate(search_rank=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        expression, match, rank = " & ".join(f"{w}:*" for w in words), _PG_MATCH, _PG_RANK
    else:
        # Each word quoted (never FTS5 syntax) and a prefix; words side by side are ANDed.
        expression, match, rank = " ".join(f'"{w}"*' for w in words), _FTS_MATCH, _FTS_RANK
    return contracts.filter(RawSQL(match, [expression], output_field=BooleanField())).annotate(
        search_rank=RawSQL(rank, [expression], output_field=FloatField())
    )
