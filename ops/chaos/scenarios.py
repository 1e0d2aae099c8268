"""The four faults of issue 16, each done to the harness's own servers while people use the portal, each
printing what it measured and checking what must hold (docs/reliability.md)."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests

from bench.booking_rush import outcome_of, release
from bench.server import CSRF, PASSWORD, Site

from .instances import Postgres, Redis, wait_until
from .mail import read_mailbox
from .portal import OUTBOX_RELAY_SECONDS, Portal
from .report import Clock, Scenario
from .seed import ADMIN_EMAIL, PEOPLE, Seeded, person_email


@dataclass
class Context:
    portal: Portal
    postgres: Postgres
    redis: Redis
    seeded: Seeded
    site: Site
    clients: list[tuple[requests.Session, str]]  # the practitioners, signed in, each with the rush page's token
    clock: Clock


def _db_fresh() -> None:
    """Drop this process's database connection: after a fault it may be a dead one."""
    from django.db import connection

    connection.close()


def _statuses(responses) -> Counter:
    return Counter(r.status_code if isinstance(r, requests.Response) else type(r).__name__ for r in responses)


def _fmt(counter: Counter) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(counter.items(), key=lambda kv: str(kv[0]))) or "none"


# --- 1. Redis stopped during a 200-way booking rush --------------------------------------------------------

STOP_REDIS_AFTER = 20  # bookings committed before Redis is stopped: the rush is under way, most of it to come
REDIS_DOWN = 10.0
RUSH_HANGS_AFTER = 30.0
EMAIL_WAIT = 45.0


@dataclass
class Rush:
    """What the rush through the Redis outage measured (monotonic seconds, and wall-clock moments)."""

    responses: list
    timings: list[float]
    began: float
    stopped_at: float
    back_at: float
    made_before: int
    moments: tuple[dt.datetime, dt.datetime, dt.datetime]  # Redis told to stop, gone, back
    probe: dict

    def answered(self, since: float, until: float) -> int:
        return sum(1 for t in self.timings if since <= self.began + t < until)


def _rush_through_redis_outage(ctx: Context, s: Scenario, bookings) -> Rush:
    """The 200 press Book; 20 bookings in, Redis is stopped, and started again REDIS_DOWN seconds later."""
    from core.models import OutboxMessage

    site = ctx.site
    path = f"/training/sessions/{ctx.seeded.rush_session}/book/"
    done: dict = {}
    thread = threading.Thread(target=lambda: done.update(zip(("responses", "timings", "wall"),
                                                              release(site, ctx.clients, path), strict=True)),
                              name="rush", daemon=True)
    began = time.monotonic()
    thread.start()
    wait_until(lambda: bookings.count() >= STOP_REDIS_AFTER or not thread.is_alive(), timeout=60, every=0.01,
               what="the first bookings of the rush")
    queued = _broker_backlog(ctx.redis)
    made_before = bookings.count()
    stopped_at, stopped_wall = time.monotonic(), dt.datetime.now(dt.UTC)
    ctx.redis.stop()
    gone_wall = dt.datetime.now(dt.UTC)
    s.figure("Redis stopped", f"{stopped_at - began:.2f} s into the rush, {made_before} bookings made by then; "
             f"{queued} tasks were waiting in Redis (kept in its append-only file)")
    # While it is down, someone else signs in and browses (a fresh browser), and everyone goes on booking.
    probe: dict = {}
    browsing = threading.Thread(target=lambda: probe.update(_sign_in_and_browse(site)), name="probe", daemon=True)
    browsing.start()
    time.sleep(max(0.0, stopped_at + REDIS_DOWN - time.monotonic()))
    unsent_at_return = OutboxMessage.objects.filter(sent_at__isnull=True).count()
    ctx.redis.start()
    back_at, back_wall = time.monotonic(), dt.datetime.now(dt.UTC)
    s.figure("Redis down for", f"{back_at - stopped_at:.1f} s; {unsent_at_return} outbox rows waiting when it "
             "returned")
    thread.join(timeout=RUSH_HANGS_AFTER)
    if thread.is_alive():
        asked = ctx.portal.dump_stacks()
        s.figure("presses still unanswered", f"{RUSH_HANGS_AFTER:.0f} s after Redis returned: the stacks of "
                 f"{asked} gunicorn workers are in gunicorn.log")
        thread.join(timeout=130)
    if thread.is_alive():
        raise TimeoutError("the rush's requests did not all come back (each waits 120 s at most)")
    browsing.join(timeout=60)
    rush = Rush(done["responses"], done["timings"], began, stopped_at, back_at, made_before,
                (stopped_wall, gone_wall, back_wall), probe)
    s.figure("answers to the 200 presses", f"{_fmt(_statuses(rush.responses))}; "
             f"{rush.answered(0, stopped_at)} before the stop, {rush.answered(stopped_at, back_at)} while Redis was "
             f"down, {rush.answered(back_at, float('inf'))} after it returned; median "
             f"{sorted(rush.timings)[len(rush.timings) // 2]:.1f} s, slowest {max(rush.timings):.1f} s")
    s.figure("signing in and browsing while Redis was down", probe.get("said", "no answer within 60 s"))
    return rush


def _booking_emails(ctx: Context, s: Scenario, bookings, rush: Rush) -> tuple[list[str], list[str], list[str]]:
    """Wait for every booking's email; those missing (made while Redis was down, made before) and those doubled."""
    booked = dict(bookings.values_list("person__email", "pk"))
    while_down = set(bookings.filter(created_at__gte=rush.moments[0]).values_list("person__email", flat=True))
    title = ctx.seeded.rush_course_title

    def per_person() -> Counter:
        return Counter(m.to for m in read_mailbox(ctx.portal.mail_dir) if m.subject.endswith(title))

    try:
        took = wait_until(lambda: all(per_person()[e] for e in booked), timeout=EMAIL_WAIT, every=0.5,
                          what="every booking's email")
        s.figure("every booking's email delivered", f"{took:.1f} s after Redis returned")
    except TimeoutError:
        s.figure("emails still missing", f"{EMAIL_WAIT:.0f} s after Redis returned")
    time.sleep(2 * OUTBOX_RELAY_SECONDS + 2)  # a late second copy would come by now
    received = per_person()
    missing = sorted(e for e in booked if not received[e])
    doubled = sorted(e for e, n in received.items() if n > 1)
    s.figure("booking emails", f"{sum(received.values())} for {len(booked)} bookings ({len(booked) - len(while_down)} "
             f"made before the stop, {len(while_down)} while Redis was down): {len(missing)} missing, "
             f"{len(doubled)} people with more than one")
    if missing:
        s.figure("where the missing ones are", _why_missing(missing, booked, rush.moments))
    s.figure("lost", f"{len(missing)} emails")
    return [e for e in missing if e in while_down], [e for e in missing if e not in while_down], doubled


def redis_stopped_during_rush(ctx: Context, s: Scenario) -> None:
    from django.db.models import Count

    from training.models import Booking

    seeded, people = ctx.seeded, len(ctx.clients)
    bookings = Booking.objects.filter(session_id=seeded.rush_session)
    s.figure("load", f"{people} signed-in people press Book on one {seeded.capacity}-place session at once")
    rush = _rush_through_redis_outage(ctx, s, bookings)
    with ThreadPoolExecutor(8) as pool:  # each person opens the page the answer leads to
        outcomes = list(pool.map(lambda c, r: outcome_of(ctx.site, c[0], r), ctx.clients, rush.responses))
    seen = Counter(outcomes)
    s.figure("what people were told", _fmt(seen))
    rows = Counter(bookings.values_list("status", flat=True))
    twice = bookings.values("person").annotate(n=Count("pk")).filter(n__gt=1).count()
    confirmed, waiting = rows.get(Booking.Status.CONFIRMED, 0), rows.get(Booking.Status.WAITLISTED, 0)
    s.figure("bookings in the database", f"{confirmed} confirmed, {waiting} wait-listed, {twice} people twice")
    missing_down, missing_before, doubled = _booking_emails(ctx, s, bookings, rush)
    down_count = bookings.filter(created_at__gte=rush.moments[0]).count()

    s.check("Redis was stopped while the rush was under way",
            0 < rush.made_before < people, f"{rush.made_before} of {people} bookings made before the stop")
    told_ok = seen.get("confirmed", 0) == seeded.capacity and seen.get("wait-listed", 0) == people - seeded.capacity
    s.check(f"exactly {seeded.capacity} confirmed and {people - seeded.capacity} wait-listed, told and stored, "
            "nobody twice", told_ok and confirmed == seeded.capacity and waiting == people - seeded.capacity
            and twice == 0, f"told: {_fmt(seen)}; stored: {confirmed} + {waiting}")
    errors = [o for o in outcomes if "HTTP 5" in o]
    presses = sum(1 for r in rush.responses if isinstance(r, requests.Response) and r.status_code >= 500)
    s.check("no 500s (the presses and the pages they lead to)", not errors and not presses,
            f"{presses} presses and {len(errors)} pages" if errors or presses else "")
    during, slowest = rush.answered(rush.stopped_at, rush.back_at), max(rush.timings)
    s.check("while Redis was down people signed in, browsed and booked, each press answered within 30 s "
            "(gunicorn's request timeout)", rush.probe.get("ok") and during > 0 and slowest <= 30,
            f"sign-in and pages: {'ok' if rush.probe.get('ok') else 'failed'}; {during} presses answered while it "
            f"was down; slowest {slowest:.1f} s")
    s.check("every booking made while Redis was down has its email after it returned", not missing_down,
            _missing(missing_down, down_count))
    s.check("every booking made before the stop has its email too", not missing_before,
            _missing(missing_before, bookings.count() - down_count))
    s.check("no booking email sent twice", not doubled, f"{len(doubled)} people got two or more" if doubled else "")


def _missing(missing: list[str], of: int) -> str:
    if not missing:
        return f"{of} of {of}"
    return f"missing for {len(missing)} of {of}: {', '.join(missing[:2])}{'…' if len(missing) > 2 else ''}"


def _broker_backlog(redis_instance: Redis) -> int:
    """Messages waiting in Redis (both queues) and taken but not acknowledged by a worker."""
    import redis

    try:
        client = redis.Redis.from_url(redis_instance.url, socket_timeout=2)
        return client.llen("celery") + client.llen("reports") + client.hlen("unacked")
    except redis.RedisError:
        return -1


def _sign_in_and_browse(site: Site) -> dict:
    """Someone signs in through the form in a fresh browser, opens My bookings and /healthz: what each answered."""
    began = time.monotonic()
    said = []
    try:
        http = site.sign_in(person_email(PEOPLE - 1), PASSWORD)
        said.append("signed in")
        for path in ("/training/my-bookings/", "/healthz"):
            response = http.get(site.url(path), timeout=30)
            said.append(f"{path} {response.status_code}")
        ok = said[-2].endswith(" 200")
    except (requests.RequestException, RuntimeError) as error:
        said.append(f"{type(error).__name__}: {str(error)[:80]}")
        ok = False
    return {"ok": ok, "said": f"{', '.join(said)} in {time.monotonic() - began:.1f} s"}


def _why_missing(missing: list[str], booked: dict[str, int], times: tuple[dt.datetime, ...]) -> str:
    """For each booking without its email: where its outbox row (the email's render task) got to, against the
    moments Redis was told to stop, was gone, and was back."""
    from core.models import OutboxMessage

    stopping, gone, back = times
    render = {}
    for row in OutboxMessage.objects.filter(task="training.tasks.booking_email_send"):
        if len(row.args) > 1:
            render[row.args[1]] = row
    reasons: Counter = Counter()
    for email in missing:
        row = render.get(booked[email])
        if row is None:
            reasons["no outbox row for its email (not written in the booking's transaction)"] += 1
        elif row.sent_at is None:
            reasons["its outbox row never relayed"] += 1
        elif row.sent_at < gone:
            when = "before the stop" if row.sent_at < stopping else "as Redis was shutting down"
            reasons[f"relayed to Redis {when}, lost with Redis (rows marked relayed)"] += 1
        elif row.sent_at < back:
            reasons["marked relayed while Redis was down"] += 1
        else:
            reasons["relayed after Redis returned, its email not sent"] += 1
    return "; ".join(f"{n}: {why}" for why, n in reasons.most_common())


# --- 2. PostgreSQL restarted during browsing ---------------------------------------------------------------

BROWSERS = 20
BEFORE, DOWN, AFTER_AT_MOST, SETTLED = 4.0, 8.0, 30.0, 5.0


@dataclass
class Answer:
    began: float
    ended: float
    status: int | str
    retry_after: str | None
    path: str


def _plain(http: requests.Session) -> requests.Session:
    """The same signed-in person in a client that shows every answer as it is: the bench's clients retry a 503
    after its Retry-After (urllib3 does by default), which would hide the 503s and wait a minute."""
    plain = requests.Session()
    plain.cookies.update(http.cookies)
    return plain


def _browse_through_restart(ctx: Context, s: Scenario) -> tuple[list[Answer], dict[str, float]]:
    """BROWSERS people browse; PostgreSQL is stopped, kept down DOWN seconds and started. Every answer, and the
    moments: stopping, down_from, starting, up_at (monotonic), stop_took, start_took."""
    pages = ["/", "/training/courses/", "/training/my-bookings/", f"/training/sessions/{ctx.seeded.rush_session}/",
             "/notifications/"]
    answers: list[Answer] = []
    stop = threading.Event()

    def browse(http: requests.Session, seed: int) -> None:
        rng = random.Random(seed)
        while not stop.is_set():
            path = rng.choice(pages)
            began = time.monotonic()
            try:
                response = http.get(ctx.site.url(path), timeout=20, allow_redirects=False)
                status, retry = response.status_code, response.headers.get("Retry-After")
            except requests.RequestException as error:
                status, retry = type(error).__name__, None
            answers.append(Answer(began, time.monotonic(), status, retry, path))
            stop.wait(0.1)

    threads = [threading.Thread(target=browse, args=(_plain(http), n), daemon=True)
               for n, (http, _) in enumerate(ctx.clients[:BROWSERS])]
    for t in threads:
        t.start()
    try:
        time.sleep(BEFORE)
        stopping = time.monotonic()
        stop_took = ctx.postgres.stop_fast()
        down_from = time.monotonic()
        time.sleep(DOWN)
        starting = time.monotonic()
        start_took = ctx.postgres.start()
        up_at = time.monotonic()
        _db_fresh()
        # Browse on until every answer has been a 200 for SETTLED seconds (at most AFTER_AT_MOST).
        dumped = False
        while time.monotonic() - up_at < AFTER_AT_MOST:
            time.sleep(0.5)
            if not dumped and time.monotonic() - up_at > 10 and not any(a.ended > up_at for a in answers):
                dumped = True
                asked = ctx.portal.dump_stacks()
                s.figure("no page answered", f"10 s after PostgreSQL returned: the stacks of {asked} gunicorn "
                         "workers are in gunicorn.log")
            recent = [a for a in answers if a.began > time.monotonic() - SETTLED and a.began > up_at]
            if time.monotonic() - up_at > SETTLED and recent and all(a.status == 200 for a in recent):
                break
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    return answers, {"stopping": stopping, "down_from": down_from, "starting": starting, "up_at": up_at,
                     "stop_took": stop_took, "start_took": start_took}


def postgres_restarted_during_browsing(ctx: Context, s: Scenario) -> None:
    gunicorn_pid = ctx.portal.processes.running["gunicorn"].pid
    answers, moments = _browse_through_restart(ctx, s)
    stopping, down_from, starting, up_at = (moments[k] for k in ("stopping", "down_from", "starting", "up_at"))
    before = [a for a in answers if a.ended < stopping]
    outage = [a for a in answers if a.began >= down_from and a.ended <= starting]  # PostgreSQL wholly down
    edges = [a for a in answers if a not in before and a not in outage and a.began < up_at]
    after = [a for a in answers if a.began >= up_at]
    first_ok = min((a.ended for a in after if a.status == 200), default=None)
    settled = [a for a in after if first_ok is not None and a.began > first_ok]

    def summary(group: list[Answer]) -> str:
        with_retry = sum(1 for a in group if a.status == 503 and a.retry_after)
        return f"{len(group)}: {_fmt(Counter(a.status for a in group))}; 503 with Retry-After: {with_retry}"

    s.figure("load", f"{BROWSERS} signed-in people browsing 5 pages, {len(answers)} requests in all")
    s.figure("fault", f"pg_ctl stop -m fast ({moments['stop_took']:.1f} s), down {starting - down_from:.1f} s, "
             f"start ({moments['start_took']:.1f} s)")
    s.figure("before", summary(before))
    s.figure("while PostgreSQL was down", summary(outage))
    s.figure("while it stopped or started", summary(edges))
    s.figure("after it returned", summary(after))
    s.figure("first 200 after it returned",
             f"{first_ok - up_at:.2f} s" if first_ok is not None else "none")
    retry_values = Counter(a.retry_after for a in outage + edges if a.status == 503)
    if retry_values:
        s.figure("Retry-After values", _fmt(retry_values))

    s.check("pages were 200 before the fault", before and all(a.status == 200 for a in before),
            summary(before))
    s.check("every page while PostgreSQL was down is a 503 with Retry-After",
            outage and all(a.status == 503 and a.retry_after for a in outage), summary(outage))
    server_errors = [a for a in answers if isinstance(a.status, int) and a.status >= 500 and a.status != 503]
    s.check("never a 500 (before, during, at the edges, after)", not server_errors,
            f"{len(server_errors)}: " + _fmt(Counter(f'{a.status} {a.path}' for a in server_errors))
            if server_errors else "")
    s.check("pages are 200 again once it is back, gunicorn not restarted",
            first_ok is not None and settled and all(a.status == 200 for a in settled)
            and ctx.portal.processes.running["gunicorn"].pid == gunicorn_pid
            and ctx.portal.processes.alive("gunicorn"),
            f"after the first 200: {summary(settled)}" if settled else "no 200 after it returned")


# --- 3. A worker killed -9 mid reminder sweep and mid Board-report render -----------------------------------

MAIL_DELAY = 0.3  # seconds each message takes to send while the worker is to be killed
AFTER_KILL_WAIT = 90.0


@dataclass
class Kill:
    report: int
    at_kill: Counter
    in_flight: set[int]
    report_at_kill: str
    mail_before: set[str]


def _kill_mid_sweep_and_render(ctx: Context, s: Scenario) -> Kill:
    """The day's sweep and a Board report queued; the worker killed -9 while both are under way."""
    from django.utils import timezone

    from actions.models import BoardReport, Strategy
    from actions.reports.quarters import quarter_containing
    from actions.reports.services import board_report_request
    from notifications.models import Notification
    from notifications.tasks import reminders_sweep

    portal = ctx.portal
    delay_file = portal.mail_dir / ".delay"
    delay_file.write_text(str(MAIL_DELAY))
    before = {m.message_id for m in read_mailbox(portal.mail_dir)}
    notifications = Notification.objects.all()

    reminders_sweep.apply_async()  # as beat does each morning
    wait_until(lambda: notifications.filter(status=Notification.Status.SENT).count() >= 20, timeout=60,
               every=0.1, what="the sweep's first 20 reminders sent")
    strategy = Strategy.objects.get(pk=ctx.seeded.strategy)
    report = board_report_request(by=None, strategy=strategy, quarter=quarter_containing(timezone.localdate()))
    wait_until(lambda: BoardReport.objects.get(pk=report.pk).status == BoardReport.Status.RENDERING, timeout=60,
               every=0.05, what="the Board report rendering")
    time.sleep(0.3)  # inside the render now
    try:  # and a reminder being sent: kill in the middle of both
        wait_until(lambda: notifications.filter(status=Notification.Status.SENDING).exists(), timeout=20,
                   every=0.01, what="a reminder being sent")
        time.sleep(random.uniform(0, MAIL_DELAY))  # before or after the mail server has taken it
    except TimeoutError:
        pass
    at_kill = Counter(notifications.values_list("status", flat=True))
    portal.kill_worker()  # SIGKILL to the worker's main process and its pool, at once
    in_flight = set(notifications.filter(status=Notification.Status.SENDING).values_list("pk", flat=True))
    report_at_kill = BoardReport.objects.get(pk=report.pk).status
    recorded = notifications.count()
    s.figure("load", f"the day's sweep: {recorded} reminders recorded (seeded due: {ctx.seeded.due_reminders}), "
             f"sent by a worker of {2} processes at {MAIL_DELAY:.2f} s a message; a Board report of 40 actions")
    s.figure("worker killed -9", f"reminders at the kill: {_fmt(at_kill)}; report: {report_at_kill}")
    delay_file.write_text("0")
    return Kill(report.pk, at_kill, in_flight, report_at_kill, before)


def _reminder_mail(portal: Portal, notifications, kill: Kill) -> tuple[list, list[int], dict, list, list]:
    """The reminders' emails since the sweep: all of them, the notifications never emailed, those emailed more
    than once, those of them not in flight at the kill, and Message-IDs carried by two different emails."""
    mails = [m for m in read_mailbox(portal.mail_dir) if m.message_id not in kill.mail_before
             and m.message_id.startswith("<notification-")]
    by_id = Counter(m.message_id for m in mails)
    wanted = {f"<notification-{pk}@workforce-portal>": pk for pk in notifications.values_list("pk", flat=True)}
    undelivered = [pk for mid, pk in wanted.items() if not by_id[mid]]
    duplicates = {wanted.get(mid, mid): n for mid, n in by_id.items() if n > 1}
    stray = [pk for pk in duplicates if pk not in kill.in_flight]
    # Two copies of one notification are told apart only by Message-ID if they say the same: same recipient
    # and subject for each Message-ID, and no Message-ID shared by two different emails.
    shapes: dict[str, set] = {}
    for m in mails:
        shapes.setdefault(m.message_id, set()).add((m.to, m.subject))
    mixed = [mid for mid, found in shapes.items() if len(found) > 1]
    return mails, undelivered, duplicates, stray, mixed


def worker_killed_mid_sweep_and_render(ctx: Context, s: Scenario) -> None:
    from actions.models import BoardReport
    from notifications.models import Notification

    portal, notifications = ctx.portal, Notification.objects.all()
    kill = _kill_mid_sweep_and_render(ctx, s)
    at_kill, in_flight, report_at_kill = kill.at_kill, kill.in_flight, kill.report_at_kill
    recorded = notifications.count()
    portal.start_worker()
    restarted = time.monotonic()
    finished = (Notification.Status.SENT, Notification.Status.FAILED, Notification.Status.SKIPPED,
                Notification.Status.SUPPRESSED)

    def settled() -> bool:
        return (not notifications.exclude(status__in=finished).exists()
                and BoardReport.objects.get(pk=kill.report).status in (BoardReport.Status.READY,
                                                                        BoardReport.Status.FAILED))

    try:
        took = wait_until(settled, timeout=AFTER_KILL_WAIT, every=0.5, what="reminders and report settled")
        s.figure("everything settled", f"{took:.1f} s after a worker was started again")
    except TimeoutError:
        s.figure("not settled", f"{AFTER_KILL_WAIT:.0f} s after a worker was started again")
    time.sleep(1)
    final = Counter(notifications.values_list("status", flat=True))
    report = BoardReport.objects.get(pk=kill.report)
    mails, undelivered, duplicates, stray, mixed = _reminder_mail(portal, notifications, kill)
    s.figure("reminders at the end", f"{_fmt(final)}; {len(mails)} emails for {recorded} reminders, "
             f"{len(in_flight)} in flight at the kill, {len(duplicates)} sent twice")
    s.figure("Board report at the end", f"{report.status} after {report.attempts} attempts"
             + (f" ({report.error[:120]})" if report.error else ""))
    s.figure("after the restart", f"{time.monotonic() - restarted:.0f} s")
    s.figure("lost", f"{len(undelivered)} reminders never emailed; the report "
             + ("stuck" if report.status not in (BoardReport.Status.READY, BoardReport.Status.FAILED) else "not"))

    s.check("the worker was killed mid-sweep and mid-render",
            at_kill.get(Notification.Status.SENT, 0) > 0 and at_kill.get(Notification.Status.PENDING, 0) > 0
            and report_at_kill == BoardReport.Status.RENDERING,
            f"{at_kill.get(Notification.Status.SENT, 0)} sent, {at_kill.get(Notification.Status.PENDING, 0)} "
            f"waiting; report {report_at_kill}")
    s.check("every due reminder delivered", recorded >= ctx.seeded.due_reminders and not undelivered
            and final.get(Notification.Status.SENT, 0) == recorded,
            f"{len(undelivered)} never emailed; statuses {_fmt(final)}" if undelivered or
            final.get(Notification.Status.SENT, 0) != recorded else f"{recorded} of {recorded}")
    s.check("duplicates only among the sends in flight at the kill, each with the same Message-ID",
            not stray and not mixed,
            f"{len(duplicates)} duplicated ({len(in_flight)} in flight)"
            + (f"; {len(stray)} not in flight" if stray else "") + (f"; {len(mixed)} Message-IDs shared" if mixed
                                                                     else ""))
    s.check("the Board report ended ready or visibly failed, not stuck",
            report.status == BoardReport.Status.READY
            or (report.status == BoardReport.Status.FAILED and report.error),
            f"{report.status}, {report.attempts} attempts")


# --- 4. Lockout abuse --------------------------------------------------------------------------------------

ATTACK_ADDRESSES = 50
ATTEMPTS = 1000
OWN_ADDRESS = "127.0.2.1"  # not one of the attacker's


def _sign_in_form(site: Site, http: requests.Session, headers: dict) -> str:
    page = http.get(site.url("/accounts/sign-in/"), headers=headers, timeout=30)
    page.raise_for_status()
    return CSRF.search(page.text).group(1)


def lockout_abuse(ctx: Context, s: Scenario) -> None:
    from axes.models import AccessAttempt

    site = ctx.site
    per_address = ATTEMPTS // ATTACK_ADDRESSES
    statuses: Counter = Counter()
    lock = threading.Lock()

    def attack(n: int) -> None:
        headers = {"X-Forwarded-For": f"127.0.1.{n + 1}", "Referer": site.url("/accounts/sign-in/")}
        http = requests.Session()
        try:
            token = _sign_in_form(site, http, headers)
        except requests.RequestException as error:
            with lock:
                statuses[f"sign-in page: {type(error).__name__}"] += per_address
            return
        for attempt in range(per_address):
            try:
                response = http.post(site.url("/accounts/sign-in/"), headers=headers, allow_redirects=False,
                                     timeout=30, data={"username": ADMIN_EMAIL, "csrfmiddlewaretoken": token,
                                                       "password": f"wrong-password-{n}-{attempt}"})
                outcome = response.status_code
            except requests.RequestException as error:
                outcome = type(error).__name__
            with lock:
                statuses[outcome] += 1

    # The administrator has signed in before from their own address (their office): axes' AccessLog has it.
    usual = requests.Session()
    headers = {"X-Forwarded-For": OWN_ADDRESS, "Referer": site.url("/accounts/sign-in/")}
    before = usual.post(site.url("/accounts/sign-in/"), headers=headers, allow_redirects=False, timeout=30,
                        data={"username": ADMIN_EMAIL, "password": PASSWORD,
                              "csrfmiddlewaretoken": _sign_in_form(site, usual, headers)})
    s.figure(f"the administrator, from {OWN_ADDRESS} before the attack", f"sign-in answered {before.status_code}")

    began = time.monotonic()
    with ThreadPoolExecutor(ATTACK_ADDRESSES) as pool:
        list(pool.map(attack, range(ATTACK_ADDRESSES)))
    wall = time.monotonic() - began
    s.figure("load", f"{ATTEMPTS} wrong passwords for {ADMIN_EMAIL} from {ATTACK_ADDRESSES} addresses "
             f"(X-Forwarded-For 127.0.1.1–127.0.1.{ATTACK_ADDRESSES}, one trusted proxy) in {wall:.1f} s")
    s.figure("answers", _fmt(statuses))
    s.figure("axes records", f"{AccessAttempt.objects.count()} (account, address) attempt rows")

    own = {"X-Forwarded-For": OWN_ADDRESS, "Referer": site.url("/accounts/sign-in/")}
    http = requests.Session()
    token = _sign_in_form(site, http, own)
    answer = http.post(site.url("/accounts/sign-in/"), headers=own, allow_redirects=False, timeout=30,
                       data={"username": ADMIN_EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": token})
    landed = http.get(site.url("/"), headers=own, allow_redirects=False, timeout=30)
    signed_in = (answer.status_code == 302 and "sign-in" not in answer.headers.get("Location", "")
                 and landed.status_code == 200)
    s.figure(f"the administrator, from {OWN_ADDRESS} (theirs)", f"sign-in answered {answer.status_code} "
             f"→ {answer.headers.get('Location', '-')}; home page {landed.status_code}")
    new_place = {"X-Forwarded-For": "127.0.3.1", "Referer": site.url("/accounts/sign-in/")}
    http = requests.Session()
    token = _sign_in_form(site, http, new_place)
    elsewhere = http.post(site.url("/accounts/sign-in/"), headers=new_place, allow_redirects=False, timeout=30,
                          data={"username": ADMIN_EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": token})
    s.figure("the administrator, from 127.0.3.1 (never used)", f"{elsewhere.status_code}"
             + (f", Retry-After {elsewhere.headers['Retry-After']}" if "Retry-After" in elsewhere.headers else ""))

    made = sum(n for k, n in statuses.items() if isinstance(k, int))
    s.check(f"{ATTEMPTS} attempts made and answered", made == ATTEMPTS, f"{made} answered")
    s.check("no 500s", not any(isinstance(k, int) and k >= 500 for k in statuses), _fmt(statuses))
    s.check(f"the administrator signs in from their own address ({OWN_ADDRESS}) at the first try", signed_in,
            f"HTTP {answer.status_code}" + (" (locked out)" if answer.status_code in (403, 429) else ""))


SCENARIOS = [
    (1, "Redis stopped during a 200-way booking rush, then restarted", redis_stopped_during_rush, 150,
     "Redis (our own, append-only file) stopped 20 bookings into the rush, kept down 10 s, started again"),
    (2, "PostgreSQL restarted while signed-in people browse", postgres_restarted_during_browsing, 75,
     "`pg_ctl stop -m fast` on our own cluster, down 8 s, started again; gunicorn left running"),
    (3, "A Celery worker killed -9 mid reminder sweep and mid Board-report render", worker_killed_mid_sweep_and_render,
     170, "SIGKILL to the worker's process group while it sends reminders and renders the report; a new worker "
     "started"),
    (4, "1,000 wrong passwords at the administrator from 50 addresses", lockout_abuse, 100,
     "sign-in attempts with wrong passwords, then the administrator signs in from another address"),
]
