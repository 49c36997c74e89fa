"""Library search at benchmark scale: PostgreSQL full-text search (GIN index, both stemmers,
ranking, snippets, filter counts) next to the same queries done with icontains, same data, same
run. Loads the demo library with 50,000 documents into the configured database first (idempotent:
a second run adds nothing)."""

from __future__ import annotations

import statistics
import time

DOCUMENTS = 50_000
REPEATS = 2
QUERIES = [
    "трудовой мигрант",
    "денежные переводы",
    "оргнабор",
    "организованный набор работников",
    "подготовка к выезду",
    "реинтеграция вернувшихся мигрантов",
    "интеграционной политики",
    "женщины-мигранты Таджикистан",
    "миграционное законодательство",
    "пограничный контроль",
    "диаспора",
    "статистика",
    "labour migration",
    "remittance flows",
    "pre-departure orientation",
    "organised recruitment schemes",
    "diaspora engagement",
    "integration policy indexes",
    "border management",
    "household survey",
]


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    rank = max(int(-(-share * len(ordered) // 100)), 1)
    return ordered[rank - 1]


def _time(function) -> list[float]:
    samples = []
    for _ in range(REPEATS):
        for query in QUERIES:
            started = time.perf_counter()
            function(query)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from django.core.management import call_command
    from django.db import connection

    from demo import library as demo
    from library.models import Document
    from library.search import (
        SearchFilters,
        library_search,
        library_search_first_page,
        library_search_icontains,
    )

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    created = demo.load(documents=DOCUMENTS)
    load_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE library_document; ANALYZE library_article;")
    total = Document.objects.count()

    def full_text(query: str) -> None:
        library_search(filters=SearchFilters(query=query), member=True)

    def full_text_list_only(query: str) -> None:
        library_search_first_page(text=query, member=True, limit=20)

    def icontains(query: str) -> None:
        library_search_icontains(text=query, member=True, limit=20)

    for function in (full_text, icontains):  # warm the caches once
        function(QUERIES[0])
    results = {
        "full-text search page (ranked, snippets, filter counts)": _time(full_text),
        "full-text count + first 20 ranked": _time(full_text_list_only),
        "icontains count + first 20": _time(icontains),
    }
    print(
        f"library search: {total} documents ({created['documents']} loaded now in "
        f"{load_seconds:.1f} s), {len(QUERIES)} queries in Russian and English x {REPEATS}"
    )
    print(f"{'':58} {'median ms':>10} {'p95 ms':>10}")
    for name, samples in results.items():
        print(f"{name:58} {statistics.median(samples):10.1f} {_percentile(samples, 95):10.1f}")
    fts = results["full-text count + first 20 ranked"]
    naive = results["icontains count + first 20"]
    median_ratio = statistics.median(naive) / statistics.median(fts)
    p95_ratio = _percentile(naive, 95) / _percentile(fts, 95)
    print(
        f"icontains / full-text (count + first 20): median x{median_ratio:.1f}, "
        f"p95 x{p95_ratio:.1f}"
    )


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mirpal.settings")
    os.environ.setdefault("MIRPAL_TESTING", "1")
    main()
