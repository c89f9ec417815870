"""Figure 2: every list page and list endpoint runs a fixed number of queries (at most 10).

For each entry of the catalogue (``bench/endpoints.py``), a user of the entry's role and agency kind
is signed in and the queries of one GET (the first page, 50 rows where there are that many) are
captured with Django's query capture, session, authentication and middleware included. The tests
(``tests/perf``) assert that the count does not grow with the rows; here it is recorded at MASH scale.
"""

from django.urls import reverse

from bench import actors, timing
from bench.endpoints import ENDPOINTS
from bench.report import Figure

TARGET = 10
NAMED = {"referrals:queue", "referrals:agency_inbox", "api-referrals"}


def measure(ctx) -> list[Figure]:
    counts, skipped = {}, []
    for endpoint in ENDPOINTS:
        user = actors.user_for(endpoint)
        if user is None:
            skipped.append(endpoint.label)
            continue
        client = timing.client_for(user)
        url = reverse(endpoint.url_name, args=endpoint.args)
        fetch = lambda client=client, url=url, endpoint=endpoint: client.get(url, endpoint.query)  # noqa: E731
        fetch()  # per-process caches (content types, permissions) warm, as in a running server
        n, _ = timing.query_count(fetch)
        response = fetch()
        if response.status_code != 200:
            raise RuntimeError(f"{endpoint.label} ({url}) answered {response.status_code} for {user}.")
        counts[endpoint.label] = {"url": url, "user": user.username, "queries": n}
    if skipped:
        ctx.out(f"  no user in the data for: {', '.join(skipped)}")
    figures = [
        Figure(
            number=2,
            name=f"Query count: {endpoint.label} ({reverse(endpoint.url_name, args=endpoint.args)})",
            value=float(counts[endpoint.label]["queries"]),
            unit="queries",
            target=TARGET,
            compare="value",
            detail=counts[endpoint.label],
        )
        for endpoint in ENDPOINTS
        if endpoint.url_name in NAMED and endpoint.label in counts
    ]
    worst = max(counts.items(), key=lambda item: item[1]["queries"])
    figures.append(
        Figure(
            number=2,
            name=f"Query count: the most of all {len(counts)} list pages and endpoints ({worst[0]})",
            value=float(worst[1]["queries"]),
            unit="queries",
            target=TARGET,
            compare="value",
            detail={"each": counts, "no_user_in_the_data": skipped},
        )
    )
    return figures
