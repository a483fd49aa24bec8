"""Ranked full-text search over the mirror: a weighted tsvector on a GIN index (PostgreSQL), FTS5 (SQLite).

Both are maintained by the database itself (a generated column; triggers), so every write path, bulk
inserts included, keeps them current, and creating them indexes the rows that already exist (the backfill).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

# Weights: A id and name, B tags, owner and domain, C schema and property names and team, D description.
# Punctuation becomes a space so "sales.orders" and "order_id" index their words.
_WORDS = "regexp_replace(lower({}), '[^[:alnum:]]+', ' ', 'g')"
_POSTGRES_VECTOR = " || ".join(
    f"setweight(to_tsvector('simple'::regconfig, {_WORDS.format(cols)}), '{weight}')"
    for cols, weight in [
        ("contract_id || ' ' || name", "A"),
        ("tags_text || ' ' || owner || ' ' || domain", "B"),
        ("search_text", "C"),
        ("description", "D"),
    ]
)
POSTGRES = [
    f"ALTER TABLE contracts_contract ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({_POSTGRES_VECTOR}) STORED",
    "CREATE INDEX contracts_contract_search_gin ON contracts_contract USING GIN (search_vector)",
]
POSTGRES_REVERSE = ["ALTER TABLE contracts_contract DROP COLUMN search_vector"]

_FTS_ROW = (
    "VALUES (new.id, new.contract_id || ' ' || new.name, new.tags_text || ' ' || new.owner || ' ' || new.domain,"
    " new.search_text, new.description)"
)
_FTS_COLUMNS = "INSERT INTO contracts_contract_fts(rowid, title, terms, properties, description)"
SQLITE = [
    # unicode61 splits on punctuation and "_", like the regexp above; remove_diacritics folds accents.
    "CREATE VIRTUAL TABLE contracts_contract_fts USING fts5("
    "title, terms, properties, description, tokenize = 'unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER contracts_contract_fts_ai AFTER INSERT ON contracts_contract BEGIN {_FTS_COLUMNS} {_FTS_ROW}; END",
    "CREATE TRIGGER contracts_contract_fts_ad AFTER DELETE ON contracts_contract BEGIN"
    " DELETE FROM contracts_contract_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER contracts_contract_fts_au AFTER UPDATE ON contracts_contract BEGIN"
    f" DELETE FROM contracts_contract_fts WHERE rowid = old.id; {_FTS_COLUMNS} {_FTS_ROW}; END",
    f"{_FTS_COLUMNS} SELECT id, contract_id || ' ' || name, tags_text || ' ' || owner || ' ' || domain,"
    " search_text, description FROM contracts_contract",
]
SQLITE_REVERSE = [
    *(f"DROP TRIGGER IF EXISTS contracts_contract_fts_{suffix}" for suffix in ("ai", "ad", "au")),
    "DROP TABLE IF EXISTS contracts_contract_fts",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("contracts", "0008_authoring")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
