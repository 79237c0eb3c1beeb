"""A small workspace for the reports, with every number worked out by hand.

TODAY is Monday 2026-03-16. Base USD; EUR 1.10, UAH 0.025. Hourly cost: anna 50 USD,
oleh 40 EUR = 44 USD, ivan none (his 3 h are unpriced: the cost is incomplete, PD408).
Capacity: anna 40 h, oleh 20 h (part-time), ivan 40 h.

Projects (default workflow, `done` is the done column):
- site (acme, fixed, budget 2000 EUR = $2,200, 2026-03-02..2026-03-31, 30 days):
  s1 done, est 10h: anna 6h (03-03), oleh 4h (03-04, not the assignee anna) -> ratio 1.0
  s2 done, est 4h: oleh 6h (03-10) [design] -> ratio 1.5
  s3 open oleh, est 10h, oleh 2h (03-12), 03-12..03-27: 8h left over the 10 working days
     from today -> 4h this week, 4h next
  s4 open anna, no estimate
  s5 open oleh, est 24h, 03-16..03-20 -> 24h this week
  cost: anna 6h x 50 = 300; oleh 12h x 44 = 528 -> $828 for 18h; revenue $2,200;
  margin $1,372 (62.36%); burnt 828/2200 = 37.6%; elapsed 15/30 = 50%; done 2/5 = 40%.
- retainer (acme, time-and-materials):
  r1 done anna, price 300 USD, est 2h: ivan 3h (03-05) [design, copy] -> ratio 1.5
  r2 done anna, price 1000 UAH = $25, est 1h: anna 30m (02-20) [copy] -> ratio 0.5
  r3 open anna, est 3h: anna 4h (03-16), due 03-18 -> over its estimate, nothing left
  r4 done anna, no price, no estimate
  cost: anna 4.5h x 50 = 225, ivan 3h unpriced -> $225+ for 7.5h, incomplete;
  revenue 300 + 25 = $325 (one done task without a price); margin $100 (30.77%).
- ads (beta, fixed, budget 1000 USD, no dates): no time; revenue $1,000, not spread.
  a1 open anna, est 6h, due 03-20 -> 6h this week
  a2 open anna, est 5h, no due -> named
  a3 open ivan, est 12h, 03-09..03-13 (overdue) -> 12h this week
  a4 open anna, est 16h, 05-04..05-15 -> 8h in week 8 (05-04), 8h later

Clients: acme cost $1,053 (incomplete), revenue $2,525; beta cost 0, revenue $1,000.
Months: Feb cost $25, revenue $25 (r2, done on its last time entry); March cost $1,028
(+ ivan's 3h), revenue 2,200 (site's whole span) + 300 (r1) = $2,500.
Timesheets, week of 03-02: anna 6h (Tue) 15%, oleh 4h (Wed) 20%, ivan 3h (Thu) 7.5%;
week of 03-09: oleh 8h (6h Tue, 2h Thu) 40%; week of 03-16: anna 4h (Mon) 10%.
Estimates (done, estimated, timed): anna [1.0, 1.5, 0.5] median 1.0, quartiles 0.75..1.25;
oleh [1.5]; tag copy [1.5, 0.5] 1.0; design [1.5, 1.5] 1.5; site [1.0, 1.5] 1.25
(1.125..1.375); retainer [1.5, 0.5] 1.0. Worst: r1, s2 (1.5). Open over: r3 (3h, 4h).
Load (minutes): anna [360, 0, 0, 0, 0, 0, 0, 480] + 480 later, cap 2400; oleh
[1680, 240, 0...] cap 1200 -> week 1 over; ivan [720, 0...].

Calendar (CALENDAR adds contacts and deals): olena (anna's) follow-up 03-20; petro
(oleh's, cadence 14d, no follow_up) -> 03-16, 14 days after his last dated note 03-02;
ira (cadence 30d, nothing dated) -> none; deal acme-more (anna's, open): next step 03-18,
expected close 04-30; beta-won (closed): none.
Statement (acme, March, client-visible done tasks): s1 done 03-04 (its last time entry),
10h, no price; r1 done 03-05, 3h, 300 USD. r2 (Feb) and s2 (not visible) are left out.
"""

from __future__ import annotations

from datetime import date

TODAY = date(2026, 3, 16)


def _task(ident: str, project: str, status: str, **fields: str) -> tuple[str, str]:
    lines = [f"title: Task {ident.upper()}", f"project: {project}", f"status: {status}"]
    lines += [f"{k}: {v}" for k, v in fields.items()]
    return f"tasks/{ident}.md", "---\n" + "\n".join(lines) + "\n---\n"


REPORTS: dict[str, str] = dict(
    [
        (
            "workspace.yml",
            "name: Numbers Agency\nlocale: en\ntoday: 2026-03-16\nbase_currency: USD\n"
            "rates: {EUR: 1.10, UAH: 0.025}\n",
        ),
        ("people/anna.md", "---\nname: Anna Kovalenko\nrate: 50 USD\ncapacity: 40\n---\n"),
        ("people/oleh.md", "---\nname: Oleh Petrenko\nrate: 40 EUR\ncapacity: 20\n---\n"),
        ("people/ivan.md", "---\nname: Ivan Shevchenko\ncapacity: 40\n---\n"),
        ("companies/acme.md", "---\nname: Acme Foods\nkind: client\nstatement: true\n---\n"),
        ("companies/beta.md", "---\nname: Beta Bank\nkind: client\n---\n"),
        (
            "projects/site.md",
            "---\nname: Website\ncompany: acme\nbudget: 2000 EUR\n"
            "start: 2026-03-02\ndue: 2026-03-31\n---\n",
        ),
        (
            "projects/retainer.md",
            "---\nname: Retainer\ncompany: acme\nbilling: time-and-materials\n---\n",
        ),
        ("projects/ads.md", "---\nname: Ads\ncompany: beta\nbudget: 1000 USD\n---\n"),
        _task(
            "s1",
            "site",
            "done",
            assignee="anna",
            estimate="10h",
            time="[2026-03-03 anna 6h, 2026-03-04 oleh 4h]",
        ),
        _task(
            "s2",
            "site",
            "done",
            assignee="oleh",
            estimate="4h",
            time="[2026-03-10 oleh 6h]",
            tags="[design]",
        ),
        _task(
            "s3",
            "site",
            "in-progress",
            assignee="oleh",
            estimate="10h",
            time="[2026-03-12 oleh 2h]",
            start="2026-03-12",
            due="2026-03-27",
        ),
        _task("s4", "site", "todo", assignee="anna"),
        _task(
            "s5",
            "site",
            "todo",
            assignee="oleh",
            estimate="24h",
            start="2026-03-16",
            due="2026-03-20",
        ),
        _task(
            "r1",
            "retainer",
            "done",
            assignee="anna",
            price="300 USD",
            estimate="2h",
            time="[2026-03-05 ivan 3h]",
            tags="[design, copy]",
        ),
        _task(
            "r2",
            "retainer",
            "done",
            assignee="anna",
            price="1000 UAH",
            estimate="1h",
            time="[2026-02-20 anna 30m]",
            tags="[copy]",
        ),
        _task(
            "r3",
            "retainer",
            "in-progress",
            assignee="anna",
            estimate="3h",
            time="[2026-03-16 anna 4h]",
            due="2026-03-18",
        ),
        _task("r4", "retainer", "done", assignee="anna"),
        _task("a1", "ads", "todo", assignee="anna", estimate="6h", due="2026-03-20"),
        _task("a2", "ads", "todo", assignee="anna", estimate="5h"),
        _task(
            "a3",
            "ads",
            "todo",
            assignee="ivan",
            estimate="12h",
            start="2026-03-09",
            due="2026-03-13",
        ),
        _task(
            "a4",
            "ads",
            "backlog",
            assignee="anna",
            estimate="16h",
            start="2026-05-04",
            due="2026-05-15",
        ),
    ]
)


CALENDAR: dict[str, str] = {
    **REPORTS,
    "contacts/olena.md": "---\nname: Olena Shevchuk\nowner: anna\nfollow_up: 2026-03-20\n---\n",
    "contacts/petro.md": "---\nname: Petro Bondar\nowner: oleh\ncadence: 14d\n---\n"
    "Likes short calls.\n\n- 2026-03-02: called about the launch\n2026-02-01 lunch\n"
    "2026-04-01 planned: not yet\n",
    "contacts/ira.md": "---\nname: Ira Lysenko\ncadence: 30d\n---\nNo dates here.\n",
    "deals/acme-more.md": "---\ntitle: Acme second site\ncompany: acme\nstage: lead\n"
    "owner: anna\nnext_step: {date: 2026-03-18, action: Call Olena}\n"
    "expected_close: 2026-04-30\n---\n",
    "deals/beta-won.md": "---\ntitle: Beta ads\ncompany: beta\nstage: won\nowner: anna\n"
    "next_step: {date: 2026-03-17, action: Send the invoice}\n---\n",
}
for _ident in ("s1", "r1", "r2"):
    CALENDAR[f"tasks/{_ident}.md"] = CALENDAR[f"tasks/{_ident}.md"].replace(
        "\n---\n", "\nclient_visible: true\n---\n"
    )
