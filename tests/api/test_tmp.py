def test_x(client, db):
    for url in [
        "/api/v1/topics/?lang=AAA",
        "/api/v1/issues/?lang=en&page=0",
        "/api/v1/events/0/?lang=AAA",
    ]:
        try:
            r = client.get(url, HTTP_AUTHORIZATION="Api-Key abc\x84")
            print(url, r.status_code, r.content[:200])
        except Exception:
            import traceback

            traceback.print_exc()
