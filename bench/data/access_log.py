"""The access log of the benchmark's four years (figure 8): 20 million reads by default, written in SQL.

One INSERT ... SELECT over generate_series per month, so nothing crosses to Python. A month with no
partition yet is filled as a table of its own and then attached, which builds its indexes once over
its rows instead of row by row (as ``ensure_access_log_partitions`` attaches a month); a month that
has its partition already is written through the parent.

The shape: the monthly volume grows by half over the four years (a MASH's reads grow with its
referrals); 75% of reads are of a referral, most of them of one received shortly before (the lag an
exponential of mean 14 days), 15% of any earlier one; 25% of a person, any of them; readers are the
bench's users, a few of them reading far more than the rest (the user of rank r reads in proportion
to 1/sqrt(r)); 97% views, 2% refusals, 1% exports. ``setseed`` makes it reproducible.
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from bench.data.reference import NOW, YEARS
from mash.people.models import Person
from mash.sharing import partitions
from referrals.models import Referral

TABLE = partitions.TABLE
FIRST = NOW.replace(year=NOW.year - YEARS)
FILLING = "bench_accesslog_month"

ROWS = """
INSERT INTO "{target}" (id, at, user_id, agency_id, action, content_type_id, object_id, object_repr,
                        ip_address, path, reason)
SELECT nextval(pg_get_serial_sequence('{table}', 'id')), r.at, u.user_id, u.agency_id,
       CASE WHEN r.a < 0.97 THEN 'view' WHEN r.a < 0.99 THEN 'denied' ELSE 'export' END,
       CASE WHEN r.is_person THEN %(ct_person)s ELSE %(ct_referral)s END,
       CASE WHEN r.is_person THEN r.person_id ELSE r.referral_id END::text,
       CASE WHEN r.is_person THEN 'Person ' || r.person_id ELSE 'Referral ' || r.referral_id END,
       ('10.20.' || (u.rn %% 250) || '.' || (1 + u.rn %% 200))::inet,
       CASE WHEN r.is_person THEN '/people/' || r.person_id ELSE '/referrals/' || r.referral_id END || '/',
       ''
FROM (
    SELECT g.at, random() AS a, random() < 0.25 AS is_person,
           1 + floor(%(users)s * power(random(), 2))::int AS user_rn,
           %(referral_base)s + greatest(0, least(%(referrals)s - 1, floor(%(referrals)s
               * (extract(epoch FROM g.at) - %(first)s - g.lag) / %(span)s)))::bigint AS referral_id,
           %(person_base)s + floor(%(people)s * random())::bigint AS person_id
    FROM (
        SELECT s.at, CASE WHEN random() < 0.15 THEN random() * (extract(epoch FROM s.at) - %(first)s)
                          ELSE -ln(1 - random()) * 14 * 86400 END AS lag
        FROM (SELECT %(start)s::timestamptz + random() * (%(end)s::timestamptz - %(start)s::timestamptz) AS at
              FROM generate_series(1, %(n)s)) s
    ) g
) r
JOIN bench_access_readers u ON u.rn = r.user_rn
"""


def months() -> list[tuple[datetime, datetime, datetime, datetime]]:
    """(month start, month end, start within the period, end within it) for every month of the period."""
    found, month = [], partitions.month_start(FIRST)
    while partitions.as_utc(month) < NOW:
        start, end = partitions.as_utc(month), partitions.as_utc(partitions.add_months(month, 1))
        found.append((start, end, max(start, FIRST), min(end, NOW)))
        month = partitions.add_months(month, 1)
    return found


def shares(total: int) -> list[int]:
    """Rows per month: in proportion to its days in the period, growing by half over the period."""
    span = (NOW - FIRST).total_seconds()
    weights = [
        (end - start).total_seconds() * (1 + 0.5 * ((start - FIRST).total_seconds() / span))
        for _, _, start, end in months()
    ]
    counts = [int(total * w / sum(weights)) for w in weights]
    counts[-1] += total - sum(counts)
    return counts


def make_access_log(total: int, *, seed: float = 0.2026, out=None) -> int:
    """Write ``total`` reads over the period; return how many were written."""
    if total <= 0:
        return 0
    referral_ids = Referral.objects.order_by("pk").values_list("pk", flat=True)
    person_ids = Person.objects.order_by("pk").values_list("pk", flat=True)
    params = {
        "ct_referral": ContentType.objects.get_for_model(Referral).pk,
        "ct_person": ContentType.objects.get_for_model(Person).pk,
        "referral_base": referral_ids.first(),
        "referrals": referral_ids.count(),
        "person_base": person_ids.first(),
        "people": person_ids.count(),
        "first": FIRST.timestamp(),
        "span": (NOW - FIRST).total_seconds(),
    }
    existing = {p.start for p in partitions.partitions()}
    written = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_access_readers ON COMMIT DROP AS "
            "SELECT row_number() OVER (ORDER BY md5(user_id::text)) AS rn, user_id, agency_id "
            "FROM agencies_membership"
        )
        cursor.execute("SELECT count(*) FROM bench_access_readers")
        params["users"] = cursor.fetchone()[0]
        cursor.execute("SELECT setseed(%s)", [seed])
        for (month, end, start, stop), n in zip(months(), shares(total), strict=True):
            values = {**params, "start": start, "end": stop, "n": n}
            name = partitions.partition_name(month.date())
            if month in existing:
                cursor.execute(ROWS.format(target=TABLE, table=TABLE), values)
                written += cursor.rowcount
            else:
                cursor.execute(f'CREATE TABLE "{name}" (LIKE "{TABLE}")')
                cursor.execute(ROWS.format(target=name, table=TABLE), values)
                written += cursor.rowcount
                cursor.execute(
                    f'ALTER TABLE "{TABLE}" ATTACH PARTITION "{name}" FOR VALUES FROM (%s) TO (%s)',
                    [month, end],
                )
            if out is not None:
                out(f"{name}: {n:,}")
    return written
