"""The narrow search table's vectors carry the document's year as one more lexeme ("_y2024"),
so that search can ask the GIN index for a year's matches only (library/search_sql.py)."""

from django.db import migrations

# As in 0005, plus the year: a document without a vector still gets one, holding its year, so
# that a search without words (filters only) finds it in the year's walk.
SYNC = """
CREATE OR REPLACE FUNCTION library_document_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    year_lexeme tsvector;
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM library_document_search WHERE document_id = OLD.id;
        RETURN OLD;
    END IF;
    year_lexeme := ('_y' || extract(year FROM NEW.published_on)::int)::tsvector;
    INSERT INTO library_document_search (
        document_id, published_on, access, kind, language, countries, search_vector,
        ranking_vector
    ) VALUES (
        NEW.id, NEW.published_on, NEW.access, NEW.kind, NEW.language, NEW.countries,
        coalesce(NEW.search_vector, ''::tsvector) || year_lexeme,
        coalesce(NEW.ranking_vector, ''::tsvector) || year_lexeme
    )
    ON CONFLICT (document_id) DO UPDATE SET
        published_on = EXCLUDED.published_on,
        access = EXCLUDED.access,
        kind = EXCLUDED.kind,
        language = EXCLUDED.language,
        countries = EXCLUDED.countries,
        search_vector = EXCLUDED.search_vector,
        ranking_vector = EXCLUDED.ranking_vector;
    RETURN NEW;
END;
$$;
UPDATE library_document_search s SET
    search_vector = coalesce(d.search_vector, ''::tsvector)
        || ('_y' || extract(year FROM d.published_on)::int)::tsvector,
    ranking_vector = coalesce(d.ranking_vector, ''::tsvector)
        || ('_y' || extract(year FROM d.published_on)::int)::tsvector
FROM library_document d
WHERE d.id = s.document_id;
"""

# The table rewritten in date order (library.search_sql.REORDER_SQL, as it was written here).
REORDER = """
CREATE TEMP TABLE library_search_reordered AS SELECT * FROM library_document_search;
TRUNCATE library_document_search;
INSERT INTO library_document_search
    SELECT * FROM library_search_reordered ORDER BY published_on, document_id;
DROP TABLE pg_temp.library_search_reordered;
"""

# 0005's function and vectors.
UNSYNC = """
CREATE OR REPLACE FUNCTION library_document_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM library_document_search WHERE document_id = OLD.id;
        RETURN OLD;
    END IF;
    INSERT INTO library_document_search (
        document_id, published_on, access, kind, language, countries, search_vector,
        ranking_vector
    ) VALUES (
        NEW.id, NEW.published_on, NEW.access, NEW.kind, NEW.language, NEW.countries,
        NEW.search_vector, NEW.ranking_vector
    )
    ON CONFLICT (document_id) DO UPDATE SET
        published_on = EXCLUDED.published_on,
        access = EXCLUDED.access,
        kind = EXCLUDED.kind,
        language = EXCLUDED.language,
        countries = EXCLUDED.countries,
        search_vector = EXCLUDED.search_vector,
        ranking_vector = EXCLUDED.ranking_vector;
    RETURN NEW;
END;
$$;
UPDATE library_document_search s SET
    search_vector = d.search_vector, ranking_vector = d.ranking_vector
FROM library_document d
WHERE d.id = s.document_id;
"""


class Migration(migrations.Migration):
    dependencies = [("library", "0005_document_search_row")]

    operations = [migrations.RunSQL(SYNC, UNSYNC), migrations.RunSQL(REORDER, migrations.RunSQL.noop)]
