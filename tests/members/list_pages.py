"""Reading a cached list page as the tests of the directory and the roster do."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext


def counted(response) -> str:
    """The "N found" line under the filters."""
    return re.search(r'<p class="muted" role="status">([^<]+)</p>', response.content.decode())[1]


def queries_of(client, url) -> tuple[object, list[str]]:
    """The page and the SQL of every query it ran."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, [query["sql"] for query in captured.captured_queries]


def counts(queries) -> list[str]:
    return [sql for sql in queries if "COUNT(" in sql.upper()]
