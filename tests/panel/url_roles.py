from tests.url_roles import Case, secretariat_only


def cases(world):
    period = "?start=2026-01-01&end=2026-03-31"
    return [
        Case("panel:home", secretariat_only()),
        Case("panel:figures", secretariat_only()),
        Case("panel:figures", secretariat_only(400), query="?start=2026-03-01&end=2026-01-01"),
        Case("panel:figure_csv", secretariat_only(), kwargs={"slug": "members-country"}),
        Case("panel:figure_csv", secretariat_only(404), kwargs={"slug": "no-such-figure"}),
        Case("panel:report", secretariat_only(), query=period),
        Case("panel:report_xlsx", secretariat_only(), query=period),
        Case("panel:exports", secretariat_only()),
        Case(
            "panel:exports",
            secretariat_only(),
            query="?dataset=members&audience=partners&format=csv&start=2026-01-01&end=2026-03-31",
        ),
        Case("panel:home", secretariat_only(405), method="post"),
    ]
