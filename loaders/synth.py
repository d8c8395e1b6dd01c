"""Synthetic England: deterministic, obviously fictional datasets in the curated format.

`write_dataset(out, authorities=153, years=7, seed=1)` writes `england.yaml` (the inspectorate,
its inspectors, regional news publishers and the national source), one `authority-NNN.yaml`
per authority and, under `texts/`, every source's text: each text holds every quote cited from
it, so `oversight verify DIR` passes. Names are plainly synthetic ("Authority 017",
"Person 017-03", "Person I-041"); nothing refers to real people.

Each authority gets a council, its posts (DCS, chief executive, lead member, leader or mayor)
with changing holders, its bodies and teams, inspections every few years (SIF until 2017, ILACS
after), monitoring visits after an inadequate judgement, 30-80 findings per inspection with
stances and FOLLOWS_UP lineage, figures, statements and sources. Grades follow the public
calibration in /work/shared/notes/measured-facts.md: about a quarter inadequate in the first
SIF round, about half good or outstanding at the latest inspection by August 2019, London
well above and the West Midlands well below.

Same arguments, same bytes: every random draw comes from `random.Random` seeded with a string.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

START = dt.date(2013, 11, 1)  # the single inspection framework's first round
ILACS = dt.date(2018, 1, 1)  # inspections of local authority children's services
CALIBRATION_DAY = dt.date(2019, 8, 31)
GRADES = ("outstanding", "good", "requires improvement", "inadequate")

# Region, number of authorities (153 in all), bias of its authorities' latent quality.
REGIONS: tuple[tuple[str, int, float], ...] = (
    ("London", 33, 1.05),
    ("South East", 19, 0.1),
    ("North West", 23, -0.05),
    ("West Midlands", 14, -1.3),
    ("Yorkshire and the Humber", 15, 0.0),
    ("East of England", 11, -0.1),
    ("East Midlands", 10, -0.05),
    ("South West", 16, 0.0),
    ("North East", 12, 0.2),
)
INSPECTORS_PER_REGION = 12
# A grade is the first whose floor an inspection's score clears; the score is the authority's
# latent quality (region bias + shift, spread) + its improvement after an inadequate judgement
# (boost) + a yearly trend + noise. Tuned to the calibration above over seeds 1-8.
GRADING: dict[str, Any] = {
    "shift": -0.3,
    "spread": 0.6,
    "trend": 0.16,
    "boost": 0.9,
    "noise": 0.55,
    "floors": (2.1, 0.7, -0.6),  # outstanding, good, requires improvement
}
SIF_AREAS = (
    "Children who need help and protection",
    "Children looked after and achieving permanence",
    "Adoption performance",
    "Experiences and progress of care leavers",
    "Leadership, management and governance",
)
ILACS_AREAS = (
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care and care leavers",
)
POSTS = {  # key: (name, aliases)
    "dcs": ("Director of Children's Services", ["DCS"]),
    "chief-executive": ("Chief Executive", []),
    "lead-member": ("Lead Member for Children's Services", ["lead member"]),
    "leader": ("Leader of the Council", ["council leader"]),
    "mayor": ("Mayor", ["elected mayor"]),
}
BODIES = {  # key: (name, kind, aliases)
    "lscb": ("Local Safeguarding Children Board", "board", ["LSCB"]),
    "scrutiny": ("Children's Services Scrutiny Committee", "committee", ["scrutiny committee"]),
    "improvement-board": ("Children's Services Improvement Board", "board", []),
    "corporate-parenting-board": ("Corporate Parenting Board", "board", []),
}
TEAMS = {  # key: (name, kind, aliases); all part of the children's services
    "mash": ("Multi-Agency Safeguarding Hub", "hub", ["MASH"]),
    "assessment": ("Assessment Teams", "team", []),
    "protection": ("Family Support and Protection Teams", "team", ["FSP"]),
    "looked-after-children": ("Looked After Children Service", "service", []),
    "care-leavers": ("Leaving Care Team", "team", []),
    "fostering": ("Fostering Service", "service", []),
    "adoption": ("Adoption Service", "service", []),
    "iro": ("Independent Reviewing Officers", "team", ["IROs"]),
    "edge-of-care": ("Edge of Care Team", "team", []),
}

# Finding themes: what a finding concerns (`team:*` is each team in turn), then its words
# as a weakness, a strength, a recommendation and an observation. {team} is the team's name.
_THEMES = """
oversight: team:*
  Management oversight of casework in the {team} is not consistently robust, and plans drift.
  Management oversight in the {team} is regular and makes a difference for children.
  Ensure that management oversight in the {team} leads to timely progress for every child.
  Managers in the {team} record their oversight on most case files.
supervision: team:*
  Supervision of social workers in the {team} is infrequent and does not challenge practice.
  Social workers in the {team} receive regular, reflective supervision.
  Improve the frequency and quality of supervision in the {team}.
  Supervision records in the {team} vary in how much detail they give.
assessments: team:*
  Assessments in the {team} are not timely and do not consider children's histories.
  Assessments in the {team} are timely, thorough and focused on the child.
  Improve the timeliness and quality of assessments in the {team}.
  Most assessments in the {team} are completed within 45 working days.
voice: team:*
  The views of children are not consistently recorded in the {team}.
  Social workers in the {team} know their children well and record their views.
  Ensure that the views of children inform plans in the {team}.
  Direct work with children in the {team} is creative in some cases.
scrutiny: body:scrutiny post:lead-member
  Scrutiny by elected members lacks robust challenge and does not hold senior officers to account.
  Scrutiny by elected members provides robust challenge to senior leaders.
  Strengthen scrutiny so that elected members hold senior leaders to account for outcomes.
  The scrutiny committee has received reports on children's services at most meetings.
senior-leaders: post:dcs post:chief-executive
  Senior leaders do not have an accurate understanding of the quality of frontline practice.
  Senior leaders know their services well and have a clear plan for improvement.
  Ensure that senior leaders have a firm grip on the quality of frontline practice.
  Senior leaders have recently restructured the children's services.
performance: service:childrens-services
  Performance information is unreliable, so leaders cannot monitor practice with rigour.
  Performance management is rigorous and well embedded.
  Improve the accuracy and use of performance information.
  A new performance management system was introduced this year.
corporate: body:council
  There is insufficient corporate ownership of the improvement of children's services.
  Corporate ownership of children's services is strong across the council.
  Secure corporate ownership of the improvement plan across the council.
  The council has increased its investment in children's services.
lscb: body:lscb
  The LSCB does not provide effective oversight of multi-agency safeguarding arrangements.
  The LSCB provides effective challenge to partner agencies.
  The LSCB should monitor the impact of multi-agency training.
  The LSCB published its annual report on time.
corporate-parenting: body:corporate-parenting-board service:looked-after-children
  The corporate parenting board does not have sufficient oversight of outcomes for children in care.
  The corporate parenting board champions children in care and listens to them.
  Ensure that the corporate parenting board monitors outcomes for children in care.
  Children in care attend the corporate parenting board.
improvement-board: body:improvement-board
  The improvement board has not yet secured consistent improvement in practice.
  The improvement board provides effective oversight of the improvement plan.
  Ensure that the improvement board measures the impact of the improvement plan.
  The improvement board meets monthly.
thresholds: service:mash
  Thresholds in the MASH are not consistently applied, and some children wait too long.
  Decisions in the MASH are timely and thresholds are well understood.
  Ensure that thresholds are applied consistently in the MASH.
  Police and health partners are co-located in the MASH.
strategy-meetings: service:protection
  Strategy meetings are not always held when they should be.
  Strategy meetings are timely and well attended by partners.
  Ensure that strategy meetings are held whenever a child may be at risk of significant harm.
  Strategy meetings are chaired by team managers.
permanence: service:looked-after-children
  Permanence planning is delayed, and too many children wait for a permanent home.
  Children achieve permanence without delay.
  Reduce delay in permanence planning for children in care.
  Permanence planning meetings are held for most children.
iro: service:iro
  Independent reviewing officers do not escalate drift in children's plans.
  Independent reviewing officers challenge drift effectively.
  Ensure that independent reviewing officers escalate drift.
  Independent reviewing officers have manageable caseloads.
pathway-plans: service:care-leavers
  Pathway plans for care leavers are not up to date.
  Care leavers are well supported by personal advisers.
  Ensure that every care leaver has an up-to-date pathway plan.
  Most care leavers are in touch with their personal advisers.
edge-of-care: service:edge-of-care
  The edge of care team cannot meet demand, so some families wait.
  The edge of care team helps families to stay together safely.
  Evaluate the impact of the edge of care team.
  The edge of care team was set up in the last year.
adoption: service:adoption
  Too few children are adopted, and matching is slow.
  Adoption performance is strong, and children are matched quickly.
  Reduce the time children wait to be matched with adopters.
  The adoption service is part of a regional adoption agency.
fostering: service:fostering
  There are too few foster carers to meet the needs of children.
  Foster carers are well trained and supported.
  Increase the number and range of foster carers.
  A recruitment campaign for foster carers is under way.
"""


KINDS = ("weakness", "strength", "recommendation", "observation")


def _read_themes(text: str) -> dict[str, tuple[tuple[str, ...], dict[str, str]]]:
    themes: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {}
    for block in text.strip().split("\n"):
        if not block.startswith(" "):
            name, _, entities = block.partition(": ")
            themes[name] = (tuple(entities.split()), {})
        else:
            words = themes[name][1]
            words[KINDS[len(words)]] = block.strip()
    return themes


THEMES = _read_themes(_THEMES)

# Figures: indicator, unit, what it measures, its values from the weakest authority to the
# strongest, and the words of the finding that reports it as a weakness and as a strength.
INDICATORS: dict[str, tuple[str, str, str, tuple[int, int], str, str]] = {
    "iha": (
        "Initial health assessments completed within 20 working days",
        "percent",
        "service:looked-after-children",
        (18, 96),
        "Initial health assessments for children entering care are too often late: only {v}% "
        "were completed within 20 working days.",
        "Initial health assessments are timely: {v}% were completed within 20 working days.",
    ),
    "caseload": (
        "Average caseload per social worker",
        "cases",
        "service:assessment",
        (31, 13),
        "Caseloads in the Assessment Teams are too high, at an average of {v} cases per "
        "social worker.",
        "Caseloads are manageable, at an average of {v} cases per social worker.",
    ),
    "agency": (
        "Agency social workers",
        "percent",
        "service:childrens-services",
        (42, 6),
        "Reliance on agency social workers, {v}% of the workforce, undermines continuity for "
        "children.",
        "The workforce is stable: agency social workers are {v}% of the workforce.",
    ),
    "rereferrals": (
        "Re-referrals to children's social care within 12 months",
        "percent",
        "service:mash",
        (31, 11),
        "Too many children are referred again: {v}% of referrals were re-referrals within 12 "
        "months.",
        "Re-referrals are low: {v}% of referrals were re-referrals within 12 months.",
    ),
    "in-care": (
        "Children in care",
        "children",
        "service:looked-after-children",
        (0, 0),  # from the authority's size, not its quality
        "The number of children in care has risen to {v}.",
        "The number of children in care is stable, at {v}.",
    ),
}
OPEN = ("weakness", "recommendation")  # what a later finding follows up
STANCES = {"weakness": "criticised", "strength": "praised", "observation": "neutral"}
RECOMMENDED = ("criticised", "neutral")  # a recommendation's stance on what it concerns
COMBOS = tuple(
    (theme, team if "team:*" in entities else "")
    for theme, (entities, _) in THEMES.items()
    for team in (TEAMS if "team:*" in entities else [""])
)
KIND_SHARES = {  # grade -> (weakness, strength, recommendation, observation)
    "inadequate": (0.55, 0.12, 0.22, 0.11),
    "requires improvement": (0.38, 0.32, 0.2, 0.1),
    "good": (0.16, 0.58, 0.14, 0.12),
    "outstanding": (0.08, 0.72, 0.08, 0.12),
    "monitoring-visit": (0.42, 0.4, 0.0, 0.18),
}
LINEAGE_WORDS = {
    "improved": "This has improved since {when}.",
    "persists": "This has not improved since {when}.",
    "resolved": "This weakness, identified in {when}, has been resolved.",
    "worsened": "This has deteriorated since {when}.",
}
MONTHS = (
    *("January", "February", "March", "April", "May", "June", "July", "August"),
    *("September", "October", "November", "December"),
)
ORDINALS = (
    *("first", "second", "third", "fourth", "fifth", "sixth"),
    *("seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth"),
)


# --- plans: who held what, and when each authority was inspected -----------------------------


@dataclass(frozen=True)
class Visit:
    key: str  # the id's slug after the authority's: 2017, mv2-2018-06
    kind: str  # inspection or monitoring-visit
    number: int | None  # a monitoring visit's number in its series
    start: dt.date
    end: dt.date
    published: dt.date  # known to the month
    grade: str | None  # overall effectiveness, for inspections
    inspectors: tuple[int, ...]  # the lead first
    after: str | None = None  # a monitoring visit: the inadequate inspection's key


@dataclass(frozen=True)
class Tenure:
    role: str  # a post key, or chair:lscb / chair:scrutiny
    person: int
    start: dt.date  # known to the month
    end: dt.date | None  # None: still in post
    capacity: str


@dataclass(frozen=True)
class Plan:
    index: int
    region: str
    mayor: bool
    size: int  # children in care at the start
    visits: tuple[Visit, ...]
    tenures: tuple[Tenure, ...] = field(default=())

    @property
    def slug(self) -> str:
        return f"a{self.index:03d}"

    @property
    def name(self) -> str:
        return f"Authority {self.index:03d}"

    def inspections(self) -> list[Visit]:
        return [v for v in self.visits if v.kind == "inspection"]


def region_sequence() -> tuple[str, ...]:
    """Regions for authorities 1..153, interleaved so that any prefix mixes them."""
    slots = []
    for position, (name, count, _) in enumerate(REGIONS):
        slots += [((k + 0.5) / count, position, name) for k in range(count)]
    return tuple(name for _, _, name in sorted(slots))


def plan_england(authorities: int, years: int = 7, seed: int = 1) -> list[Plan]:
    return [plan_authority(i, years, seed) for i in range(1, authorities + 1)]


def plan_authority(index: int, years: int, seed: int) -> Plan:
    """Inspections (grades calibrated by region) and the tenures of posts and chairs."""
    rng = random.Random(f"oversight-synth:{seed}:{index}")
    sequence = region_sequence()
    region = sequence[(index - 1) % len(sequence)]
    bias = next(b for name, _, b in REGIONS if name == region)
    last = dt.date(START.year + max(years, 1) - 1, 12, 31)
    quality = rng.gauss(bias + GRADING["shift"], GRADING["spread"])
    boost = 0.0
    visits: list[Visit] = []
    pool = _inspector_pool(region)
    latest_first = min(dt.date(2017, 10, 30), last - dt.timedelta(days=40))
    day = _weekday(START + dt.timedelta(days=rng.randrange(max(1, (latest_first - START).days))))
    while day <= last - dt.timedelta(days=14):
        sif = day < ILACS
        end = day + dt.timedelta(days=25 if sif else 11)
        score = quality + boost + GRADING["trend"] * (day.year - 2014)
        score += rng.gauss(0, GRADING["noise"])
        grade = _grade(score)
        published = _month(end + dt.timedelta(days=rng.randrange(35, 70)))
        key = str(day.year) if str(day.year) not in {v.key for v in visits} else f"{day:%Y-%m}"
        team = tuple(rng.sample(pool, 3))
        visits.append(Visit(key, "inspection", None, day, end, published, grade, team))
        if grade == "inadequate":
            boost += GRADING["boost"]
            again = published + dt.timedelta(days=rng.randrange(540, 720))
            visit_day, number = published + dt.timedelta(days=rng.randrange(80, 130)), 1
            while visit_day < again - dt.timedelta(days=60) and visit_day <= last:
                visit_day = _weekday(visit_day)
                visit_end = visit_day + dt.timedelta(days=1)
                visits.append(
                    Visit(
                        f"mv{number}-{visit_day:%Y-%m}",
                        "monitoring-visit",
                        number,
                        visit_day,
                        visit_end,
                        _month(visit_end + dt.timedelta(days=rng.randrange(20, 40))),
                        None,
                        tuple(rng.sample(pool, 2)),
                        after=key,
                    )
                )
                visit_day += dt.timedelta(days=rng.randrange(90, 130))
                number += 1
            day = _weekday(again)
        else:
            gap = {"requires improvement": 950, "good": 1150, "outstanding": 1350}[grade]
            day = _weekday(end + dt.timedelta(days=gap + rng.randrange(0, 200)))
    mayor = rng.random() < (0.15 if region == "London" else 0.06)
    plan = Plan(index, region, mayor, rng.randrange(180, 900), tuple(visits))
    return Plan(**{**plan.__dict__, "tenures": _tenures(plan, rng, last)})


def _grade(score: float) -> str:
    for grade, floor in zip(GRADES, GRADING["floors"], strict=False):
        if score > floor:
            return grade
    return "inadequate"


def _inspector_pool(region: str) -> list[int]:
    position = [name for name, _, _ in REGIONS].index(region)
    return [position * INSPECTORS_PER_REGION + k + 1 for k in range(INSPECTORS_PER_REGION)]


def _tenures(plan: Plan, rng: random.Random, last: dt.date) -> tuple[Tenure, ...]:
    """Holders of each post and chairs of the LSCB and scrutiny, from before 2013 to `last`."""
    failures = [v.published for v in plan.inspections() if v.grade == "inadequate"]
    elections = [dt.date(y, 5, 1) for y in range(2010 + plan.index % 4, last.year + 1, 4)]
    spans: list[tuple[str, dt.date, dt.date | None, str]] = []
    leader = "mayor" if plan.mayor else "leader"
    for role, low, high in (
        ("dcs", 18, 60),
        ("chief-executive", 36, 96),
        ("lead-member", 20, 60),
        (leader, 30, 90),
        ("chair:lscb", 30, 66),
        ("chair:scrutiny", 12, 48),
    ):
        start = _month(dt.date(2013, 1, 1) - dt.timedelta(days=rng.randrange(30, 6 * 365)))
        capacity = "permanent"
        while start <= last:
            end = _add_months(start, rng.randrange(low, high))
            if role in ("leader", "mayor", "lead-member", "chair:scrutiny"):
                at = [e for e in elections if start < e < end]
                if at and rng.random() < 0.6:
                    end = _month(at[0])
            if role == "dcs" and capacity == "permanent":
                shaken = [f for f in failures if start < f < end]
                if shaken:  # a DCS rarely survives an inadequate judgement for long
                    end = _add_months(shaken[0], rng.randrange(2, 9))
            if role == "dcs" and capacity == "interim":
                end = _add_months(start, rng.randrange(4, 12))
            still = end > last
            spans.append((role, start, None if still else end, capacity))
            if still:
                break
            if role == "dcs":
                capacity = (
                    "interim" if capacity == "permanent" and rng.random() < 0.6 else ("permanent")
                )
            start = end
    order = [*POSTS, "chair:lscb", "chair:scrutiny"]
    spans.sort(key=lambda s: (s[1], order.index(s[0])))
    return tuple(
        Tenure(role, number, start, end, capacity)
        for number, (role, start, end, capacity) in enumerate(spans, start=1)
    )


def grade_summary(plans: Iterable[Plan], on: dt.date = CALIBRATION_DAY) -> dict[str, Any]:
    """Shares good or outstanding at the latest inspection by `on`, and the first round."""
    latest: dict[str, list[bool]] = {}
    first: list[str] = []
    for plan in plans:
        graded = [v for v in plan.inspections() if v.published <= on]
        if plan.inspections():
            first.append(plan.inspections()[0].grade or "")
        if graded:
            good = graded[-1].grade in ("good", "outstanding")
            latest.setdefault(plan.region, []).append(good)
            latest.setdefault("England", []).append(good)
    return {
        "good_or_outstanding": {r: round(sum(v) / len(v), 3) for r, v in sorted(latest.items())},
        "first_round": {g: round(first.count(g) / max(1, len(first)), 3) for g in GRADES},
    }


# --- records and texts -------------------------------------------------------------------------


class _Texts:
    """The lines of each source's text; a citation adds its quote to its source's text."""

    def __init__(self) -> None:
        self.lines: dict[str, list[str]] = {}
        self.seen: dict[str, set[str]] = {}

    def add(self, source: str, line: str) -> str:
        if line not in self.seen.setdefault(source, set()):
            self.seen[source].add(line)
            self.lines.setdefault(source, []).append(line)
        return line

    def cite(self, source: str, quote: str, **extra: Any) -> dict[str, Any]:
        self.add(source, quote)
        return {"source": source, "quote": quote, **extra}


def authority_records(plan: Plan, seed: int) -> tuple[list[dict[str, Any]], _Texts]:
    """Every record of one authority, and the texts of its sources."""
    rng = random.Random(f"oversight-synth:{seed}:{plan.index}:records")
    texts = _Texts()
    records = _cast_records(plan, texts) + _people_records(plan, texts)
    records += _inspection_records(plan, rng, texts)
    blogs = [r["id"] for r in records if r.get("kind") == "local-blog"]
    if blogs:
        records.append(
            {
                "id": f"body/{plan.slug}-watch",
                "name": f"{plan.name} Watch",
                "kind": "publisher",
                "description": "A synthetic local blog.",
                "cite": [texts.cite(blogs[0], f"{plan.name} Watch is a local blog.")],
            }
        )
    return records, texts


def _cast_records(plan: Plan, texts: _Texts) -> list[dict[str, Any]]:
    """The council, its posts, bodies and teams, cited from a who-is-who news feature."""
    a, name = plan.slug, plan.name
    who = f"source/{a}-who-is-who"
    publisher = f"body/publisher-{_region_number(plan.region):02d}"
    records: list[dict[str, Any]] = []
    records.append(
        {
            "id": who,
            "name": f"Who is who in {name} children's services",
            "title": f"Who is who in {name} children's services",
            "kind": "news-report",
            "reliability": "reporting",
            "publisher": f"Regional News {_region_number(plan.region):02d}",
            "published": f"{plan.visits[-1].published:%Y-%m}" if plan.visits else "2019",
            "file": f"{a}-who-is-who.txt",
            "published_by": publisher,
            "cite": [
                texts.cite(who, f"Who is who in {name} children's services"),
                texts.cite(
                    who,
                    f"Published in {_month_text(plan.visits[-1].published)}."
                    if plan.visits
                    else "Published in 2019.",
                ),
            ],
        }
    )
    records.append(
        {
            "id": f"body/{a}-council",
            "name": name,
            "aliases": [f"{name} Council", "the local authority"],
            "kind": "council",
            "description": f"A synthetic local authority in the {plan.region} region.",
            "member_of": [{"to": f"body/{a}-lscb", "role": "statutory partner"}],
            "cite": [
                texts.cite(who, f"{name} is a local authority in the {plan.region} region."),
                texts.cite(who, f"{name} is a statutory partner of its LSCB."),
                _also_known(who, name, [f"{name} Council", "the local authority"], texts),
            ],
        }
    )
    leader = "mayor" if plan.mayor else "leader"
    roles = ("dcs", "chief-executive", "lead-member", leader)
    reports = {"dcs": "chief-executive", "chief-executive": leader, "lead-member": leader}
    answers = {
        "dcs": "service:childrens-services",
        "lead-member": "service:childrens-services",
        "chief-executive": "body:council",
        leader: "body:council",
    }
    for role in roles:
        post_name, aliases = POSTS[role]
        aliases = [post_name, *aliases]
        record: dict[str, Any] = {
            "id": f"post/{a}-{role}",
            "name": f"{post_name}, {name}",
            "aliases": aliases,
            "part_of": [f"body/{a}-council"],
            "accountable_for": [_ref(plan, answers[role])],
        }
        if role in reports:
            record["reports_to"] = [f"post/{a}-{reports[role]}"]
        if role == "lead-member":
            record["chairs"] = [f"body/{a}-corporate-parenting-board"]
        if role == "chief-executive":
            record["chairs"] = [f"body/{a}-improvement-board"]
        record["cite"] = [
            texts.cite(
                who,
                f"The {post_name} of {name} answers for its "
                + ("children's services." if answers[role].startswith("service") else "council.")
                + (
                    f" The post reports to the {POSTS[reports[role]][0]}."
                    if role in reports
                    else ""
                ),
            ),
            _also_known(who, f"The {post_name} of {name}", aliases, texts),
        ]
        records.append({k: v for k, v in record.items() if v != []})
    for key, (body_name, kind, aliases) in BODIES.items():
        parenting = key == "corporate-parenting-board"
        watched = TEAMS["looked-after-children"][0] if parenting else "children's services"
        record = {
            "id": f"body/{a}-{key}",
            "name": f"{name} {body_name}",
            "aliases": aliases,
            "kind": kind,
            "part_of": [] if key == "lscb" else [f"body/{a}-council"],
            "oversees": [
                f"service/{a}-{'looked-after-children' if parenting else 'childrens-services'}"
            ],
            "cite": [texts.cite(who, f"The {body_name} of {name} oversees its {watched}.")],
        }
        if aliases:
            record["cite"].append(_also_known(who, f"The {body_name} of {name}", aliases, texts))
        records.append({k: v for k, v in record.items() if v != []})
    records.append(
        {
            "id": f"service/{a}-childrens-services",
            "name": f"{name} Children's Services",
            "aliases": ["children's services", "children's social care"],
            "kind": "service",
            "part_of": [f"body/{a}-council"],
            "cite": [
                texts.cite(who, f"{name} Children's Services are part of the council."),
                _also_known(
                    who,
                    f"{name} Children's Services",
                    ["children's services", "children's social care"],
                    texts,
                ),
            ],
        }
    )
    for key, (team_name, kind, aliases) in TEAMS.items():
        records.append(
            {
                "id": f"service/{a}-{key}",
                "name": f"{team_name}, {name}",
                **({"aliases": aliases} if aliases else {}),
                "kind": kind,
                "part_of": [f"service/{a}-childrens-services"],
                "cite": [
                    texts.cite(who, f"The {team_name} is part of {name} children's services."),
                    *([_also_known(who, f"The {team_name}", aliases, texts)] if aliases else []),
                ],
            }
        )
    return records


def _also_known(source: str, who: str, aliases: list[str], texts: _Texts) -> dict[str, Any]:
    """The citation that gives an entity's aliases, so each is in the text that cites it."""
    return texts.cite(source, f"{who} is also called {'; '.join(aliases)}.")


def _people_records(plan: Plan, texts: _Texts) -> list[dict[str, Any]]:
    """One person per tenure of a post or of the chair of the LSCB or scrutiny committee."""
    a, who = plan.slug, f"source/{plan.slug}-who-is-who"
    records: list[dict[str, Any]] = []
    for tenure in plan.tenures:
        role, _, chaired = tenure.role.partition(":")
        person = f"person/{a}-{tenure.person:02d}"
        if chaired:
            what = BODIES[chaired][0]
            rel_key, target = "chairs", f"body/{a}-{chaired}"
            line = f"Person {plan.index:03d}-{tenure.person:02d} chaired the {what}"
        else:
            what = POSTS[role][0]
            rel_key, target = "holds", f"post/{a}-{role}"
            line = f"Person {plan.index:03d}-{tenure.person:02d} was {what} ({tenure.capacity})"
        line += f" from {_month_text(tenure.start)}" + (
            f" to {_month_text(tenure.end)}." if tenure.end else ", and still is."
        )
        entry: dict[str, Any] = {"to": target, "start": f"{tenure.start:%Y-%m}"}
        if tenure.end:
            entry["end"] = f"{tenure.end:%Y-%m}"
        if not chaired:
            entry["capacity"] = tenure.capacity
        record = {
            "id": person,
            "name": f"Person {plan.index:03d}-{tenure.person:02d}",
            rel_key: [entry],
            "cite": [texts.cite(who, line)],
        }
        if chaired == "scrutiny":
            record["member_of"] = [{"to": target, "role": "chair"}]
        records.append(record)
    return records


def _holder(plan: Plan, role: str, day: dt.date) -> str | None:
    for tenure in plan.tenures:
        if tenure.role == role and tenure.start <= day and (tenure.end is None or day < tenure.end):
            return f"person/{plan.slug}-{tenure.person:02d}"
    return None


def _document(plan: Plan, visit: Visit) -> str:
    """The id of an inspection's report or a monitoring visit's letter."""
    return f"source/{plan.slug}-{visit.key}-{'report' if visit.kind == 'inspection' else 'letter'}"


def _ref(plan: Plan, role: str) -> str:
    """The id of an authority's entity from its role: `service:mash`, `body:council`, ..."""
    kind, _, key = role.partition(":")
    return f"{kind}/{plan.slug}-{key}"


Found = tuple[str, str, str, str, str | None]  # theme, team, kind, text, figure:value


def _inspection_records(plan: Plan, rng: random.Random, texts: _Texts) -> list[dict[str, Any]]:
    """Inspections and visits with their sources, inspectors, judgements, findings, figures,
    lineage (as `extend:` records at the end, like lineage.yaml) and reactions."""
    records: list[dict[str, Any]] = []
    lineage: list[dict[str, Any]] = []
    latest: dict[tuple[str, str], tuple[str, str, Visit]] = {}  # theme, team -> latest finding
    grade, size = "requires improvement", plan.size
    for visit in plan.visits:
        records += _visit_records(plan, visit, texts)
        if visit.kind == "inspection":
            records += _judgements(plan, visit, rng, texts)
            grade = visit.grade or grade
        found, size = _choose_findings(visit, latest, rng, grade, size)
        for number, item in enumerate(found, start=1):
            records += _finding_records(plan, visit, number, item, rng, texts)
            fid = f"finding/{plan.slug}-{visit.key}-{number:02d}"
            earlier = latest.get(item[:2])
            if earlier and earlier[1] in OPEN and earlier[2] is not visit:
                lineage.append(_follow_up(plan, visit, fid, item[2], earlier, texts))
            latest[item[:2]] = (fid, item[2], visit)
        if visit.kind == "inspection":
            records += _reactions(plan, visit, rng, texts)
    return records + lineage


def _visit_records(plan: Plan, visit: Visit, texts: _Texts) -> list[dict[str, Any]]:
    """An inspection or monitoring visit, its report or letter, and its inspectors."""
    a, name, full = plan.slug, plan.name, visit.kind == "inspection"
    vid = f"inspection/{a}-{visit.key}"
    document = "report" if full else "letter"
    source = f"source/{a}-{visit.key}-{document}"
    ordinal = ORDINALS[min(len(ORDINALS), visit.number or 1) - 1]
    title = f"{'Inspection of' if full else 'Monitoring visit to'} {name} children's services"
    dates = _dates_line(plan, visit)
    texts.add(source, title)
    cites = [texts.cite(source, dates)]
    published = texts.cite(source, f"Published in {_month_text(visit.published)}.")
    if not full:
        judged = next(v for v in plan.visits if v.key == visit.after).published
        cites.append(
            texts.cite(
                source,
                f"This was the {ordinal} monitoring visit since the local authority was judged "
                f"inadequate for overall effectiveness in {_month_text(judged)}.",
            )
        )
    records: list[dict[str, Any]] = [
        {
            "id": source,
            "name": f"{title} ({_month_text(visit.published)})",
            "title": title,
            "kind": "inspectorate-letter",
            "reliability": "primary",
            "publisher": "Ofsted",
            "published": f"{visit.published:%Y-%m}",
            "file": f"{a}-{visit.key}-{document}.txt",
            "published_by": "body/ofsted",
            "covers": [vid],
            "cite": [texts.cite(source, dates), published],
        },
        {
            "id": vid,
            "name": f"{'Inspection' if full else f'Monitoring visit {visit.number}'} of {name} "
            f"({_month_text(visit.start)})",
            "kind": visit.kind,
            **({"number": visit.number} if visit.number else {}),
            "start": f"{visit.start:%Y-%m-%d}",
            "end": f"{visit.end:%Y-%m-%d}",
            "published": f"{visit.published:%Y-%m}",
            **({} if full else {"focus": "progress since the inadequate judgement"}),
            "conducted_by": ["body/ofsted"],
            "inspected": [f"service/{a}-childrens-services"],
            "cite": [*cites, published],
        },
    ]
    for position, inspector in enumerate(visit.inspectors):
        role = "Her Majesty's Inspector" if position < 2 else "Ofsted Inspector"
        line = f"{'Lead inspector' if position == 0 else 'Inspector'}: "
        line += f"Person I-{inspector:03d}, {role}"
        entry = {"to": vid, "role": role, "lead": position == 0}
        records.append(
            {
                "extend": f"person/inspector-{inspector:03d}",
                "inspector_on": [entry | {"cite": [texts.cite(source, line)]}],
            }
        )
    return records


def _dates_line(plan: Plan, visit: Visit) -> str:
    """The line of a report or letter that gives the visit's days."""
    if visit.kind == "inspection":
        return f"Inspection dates: {_day_text(visit.start)} to {_day_text(visit.end)}"
    ordinal = ORDINALS[min(len(ORDINALS), visit.number or 1) - 1]
    return (
        f"This letter summarises the findings of the {ordinal} monitoring visit to {plan.name} "
        f"children's services on {_day_text(visit.start)} and {_day_text(visit.end)}."
    )


def _choose_findings(
    visit: Visit,
    latest: dict[tuple[str, str], tuple[str, str, Visit]],
    rng: random.Random,
    grade: str,
    size: int,
) -> tuple[list[Found], int]:
    """What a visit finds: for an inspection the scrutiny and senior leaders themes always
    (the examples rely on them), then earlier open themes revisited, then others; figures
    last. Also the authority's new number of children in care."""
    full = visit.kind == "inspection"
    shares = KIND_SHARES[visit.grade if full and visit.grade else "monitoring-visit"]
    count = rng.randrange(30, 81) if full else rng.randrange(8, 17)
    revisit = [c for c, (_, kind, _) in latest.items() if kind in OPEN and c[0] in THEMES]
    rng.shuffle(revisit)
    themes = [("scrutiny", ""), ("senior-leaders", "")] if full else []
    themes += [c for c in revisit[: count // 2] if c not in themes]
    figures = rng.sample(list(INDICATORS), rng.randrange(3, 6) if full else 1)
    found: list[Found] = []
    used: set[tuple[str, str, str]] = set()
    for number in range(count - len(figures)):
        kind = rng.choices(KINDS, shares)[0]
        theme, team = themes[number] if number < len(themes) else rng.choice(COMBOS)
        if (theme, team, kind) not in used:
            used.add((theme, team, kind))
            found.append((theme, team, kind, THEMES[theme][1][kind].format(team=_team(team)), None))
    level = (3 - GRADES.index(grade)) / 3  # 0 inadequate .. 1 outstanding
    for figure in figures:
        _, _, _, (low, high), bad, good = INDICATORS[figure]
        if low == high:  # children in care: the authority's size, not its quality
            size = round(size * rng.uniform(0.96, 1.08))
            value, kind = size, "observation"
        else:
            value = max(1, round(low + (high - low) * level + rng.uniform(-5, 5)))
            kind = "strength" if level >= 0.5 else "weakness"
        words = good if kind == "strength" else bad
        found.append((f"figure:{figure}", "", kind, words.format(v=value), f"{figure}:{value}"))
    return found, size


def _finding_records(
    plan: Plan, visit: Visit, number: int, item: Found, rng: random.Random, texts: _Texts
) -> list[dict[str, Any]]:
    """A finding (with its paragraph in the report) and the figure it reports, if any."""
    theme, team, kind, text, figure = item
    full = visit.kind == "inspection"
    source = _document(plan, visit)
    paragraph = f"p{number}" if full else None
    texts.add(source, f"{number}. {text}" if full else text)
    cite = {"source": source, "quote": text, **({"ref": paragraph} if paragraph else {})}
    if theme.startswith("figure:"):
        entities: tuple[str, ...] = (INDICATORS[theme.removeprefix("figure:")][2],)
    else:
        entities = tuple(e.replace("team:*", f"service:{team}") for e in THEMES[theme][0])
    stance = STANCES[kind] if kind != "recommendation" else rng.choice(RECOMMENDED)
    summary = text.split(",")[0].split(":")[0].rstrip(".")
    if len(summary) > 72:
        summary = summary[:69].rsplit(" ", 1)[0] + "..."
    finding: dict[str, Any] = {
        "id": f"finding/{plan.slug}-{visit.key}-{number:02d}",
        "name": summary,
        "kind": kind,
        "text": text,
        **({"ref": paragraph} if paragraph else {}),
        "found_in": f"inspection/{plan.slug}-{visit.key}",
        "concerns": [{"to": _ref(plan, e), "stance": stance} for e in entities],
        "cite": [cite],
    }
    if not figure:
        return [finding]
    key, value = figure.split(":")
    indicator, unit = INDICATORS[key][:2]
    finding["reports"] = [f"measure/{plan.slug}-{visit.key}-{key}"]
    measure = {
        "id": f"measure/{plan.slug}-{visit.key}-{key}",
        "name": f"{indicator}: {value}" + ("%" if unit == "percent" else ""),
        "indicator": indicator,
        "value": int(value),
        "unit": unit,
        "period": f"at the {'inspection' if full else 'visit'} of {_month_text(visit.start)}",
        "as_of": f"{visit.start:%Y-%m}",
        "measure_of": [_ref(plan, INDICATORS[key][2])],
        # The visit's dates say when the figure was true (as_of).
        "cite": [dict(cite), texts.cite(source, _dates_line(plan, visit))],
    }
    return [finding, measure]


def _follow_up(
    plan: Plan,
    visit: Visit,
    fid: str,
    kind: str,
    earlier: tuple[str, str, Visit],
    texts: _Texts,
) -> dict[str, Any]:
    """The FOLLOWS_UP link from a later finding to the latest earlier one on its theme."""
    status = _status(kind, visit.grade, earlier[2].grade)
    noun = "inspection" if earlier[2].kind == "inspection" else "visit"
    words = LINEAGE_WORDS[status].format(when=f"the {noun} of {_month_text(earlier[2].start)}")
    source = (
        f"source/{plan.slug}-{visit.key}-{'report' if visit.kind == 'inspection' else 'letter'}"
    )
    return {
        "extend": fid,
        "follows_up": [{"to": earlier[0], "status": status, "cite": [texts.cite(source, words)]}],
    }


def _judgements(plan: Plan, visit: Visit, rng: random.Random, texts: _Texts) -> list[dict]:
    """The overall effectiveness and each area's grade (SIF areas before 2018, ILACS after)."""
    a, grade = plan.slug, visit.grade or "requires improvement"
    areas = SIF_AREAS if visit.start < ILACS else ILACS_AREAS
    source = f"source/{a}-{visit.key}-report"
    records = []
    for number, area in enumerate(("Overall effectiveness", *areas)):
        area_grade = grade
        if number and rng.random() < 0.3:
            area_grade = GRADES[min(3, max(0, GRADES.index(grade) + rng.choice((-1, 1))))]
        line = f"{area}: {area_grade}"
        records.append(
            {
                "id": f"judgement/{a}-{visit.key}-{number or 'overall'}",
                "name": line,
                "area": area,
                "grade": area_grade,
                **({} if number else {"overall": True}),
                "judgement_of": f"inspection/{a}-{visit.key}",
                "cite": [texts.cite(source, line)],
            }
        )
    return records


def _team(key: str) -> str:
    return TEAMS[key][0] if key else ""


def _status(kind: str, grade: str | None, earlier_grade: str | None) -> str:
    """What became of an earlier weakness or recommendation, judged by the later finding."""
    if kind == "strength":
        return "resolved" if grade in ("good", "outstanding") else "improved"
    if kind == "observation":
        return "improved"
    if grade and earlier_grade and GRADES.index(grade) > GRADES.index(earlier_grade):
        return "worsened"
    return "persists"


def _reactions(plan: Plan, visit: Visit, rng: random.Random, texts: _Texts) -> list[dict[str, Any]]:
    """The news report of an inspection, with what the leader, DCS and scrutiny chair said,
    and for a poor grade the local blog's opinion."""
    a, name, grade = plan.slug, plan.name, visit.grade or "requires improvement"
    region = _region_number(plan.region)
    vid = f"inspection/{a}-{visit.key}"
    news = f"source/{a}-{visit.key}-news"
    day = visit.published + dt.timedelta(days=rng.randrange(0, 27))
    headline = f"{name} children's services rated '{grade}' by Ofsted"
    poor = grade in ("inadequate", "requires improvement")
    records: list[dict[str, Any]] = [
        {
            "id": news,
            "name": headline,
            "title": headline,
            "kind": "news-report",
            "reliability": "reporting",
            "publisher": f"Regional News {region:02d}",
            "author": f"Person N-{region:02d}-{1 + plan.index % 2}",
            "published": f"{day:%Y-%m-%d}",
            "file": f"{a}-{visit.key}-news.txt",
            "published_by": f"body/publisher-{region:02d}",
            "written_by": f"person/journalist-{region:02d}-{1 + plan.index % 2}",
            "covers": [vid],
            "cite": [
                texts.cite(news, headline),
                texts.cite(news, f"By Person N-{region:02d}-{1 + plan.index % 2}."),
                texts.cite(news, f"Published on {_day_text(day)}."),
            ],
        },
        {
            "extend": f"judgement/{a}-{visit.key}-overall",
            "cite": [
                texts.cite(
                    news,
                    f"Ofsted judged the overall effectiveness of {name} children's services to be "
                    f"{grade}.",
                    reports="body/ofsted",
                )
            ],
        },
    ]
    said = [
        (
            "leader",
            "mayor" if plan.mayor else "leader",
            "We accept the findings in full and will put things right for children."
            if poor
            else "This judgement reflects the hard work of our staff, and we will keep improving.",
            [("service:childrens-services", "criticised" if poor else "praised"), (vid, "neutral")],
        ),
        (
            "dcs",
            "dcs",
            "We are already acting on every recommendation in the report."
            if poor
            else "Our social workers know their children well, and it shows.",
            [("service:childrens-services", "neutral" if poor else "praised"), (vid, "neutral")],
        ),
        (
            "scrutiny",
            "chair:scrutiny",
            "Scrutiny has challenged officers on performance at every meeting.",
            [("body:scrutiny", "praised"), (vid, "neutral")],
        ),
    ]
    for key, role, words, about in said:
        person = _holder(plan, role, visit.published)
        if person is None:
            continue
        title = "Leader" if role == "leader" else POSTS.get(role, ("chair of scrutiny",))[0]
        speaker = person.replace(f"person/{a}-", f"Person {plan.index:03d}-")
        line = f'{speaker}, {title}, said: "{words}"'
        records.append(
            {
                "id": f"statement/{a}-{visit.key}-{key}",
                "name": f"{title}: {words.split(',')[0].rstrip('.')}",
                "text": words,
                "date": f"{day:%Y-%m-%d}",
                "medium": "reported by Regional News",
                "said_by": person,
                "about": [
                    {"to": target if "/" in target else _ref(plan, target), "stance": stance}
                    for target, stance in about
                ],
                "cite": [texts.cite(news, line)],
            }
        )
    if poor:
        records += _blog_records(plan, visit, day, texts)
    return records


def _blog_records(plan: Plan, visit: Visit, day: dt.date, texts: _Texts) -> list[dict[str, Any]]:
    """The local blog's post on a poor inspection: its own opinion of scrutiny."""
    a, name = plan.slug, plan.name
    blog = f"source/{a}-{visit.key}-blog"
    words = (
        f"Scrutiny in {name} was asleep while children's services failed; "
        "councillors must answer for it."
    )
    return [
        {
            "id": blog,
            "name": f"{name} Watch: after the Ofsted report",
            "title": "After the Ofsted report",
            "kind": "local-blog",
            "reliability": "opinion",
            "publisher": f"{name} Watch",
            "published": f"{day:%Y-%m}",
            "file": f"{a}-{visit.key}-blog.txt",
            "published_by": f"body/{a}-watch",
            "cite": [
                texts.cite(blog, "After the Ofsted report"),
                texts.cite(blog, f"Published in {_month_text(day)}."),
            ],
        },
        {
            "id": f"statement/{a}-{visit.key}-blog",
            "name": f"{name} Watch: scrutiny asleep while services failed",
            "text": words,
            "date": f"{day:%Y-%m}",
            "medium": "local blog",
            "said_by": f"body/{a}-watch",
            "about": [
                {"to": _ref(plan, "body:scrutiny"), "stance": "criticised"},
                {"to": _ref(plan, "body:council"), "stance": "criticised"},
            ],
            "cite": [texts.cite(blog, words, opinion=True)],
        },
    ]


def england_records(plans: list[Plan]) -> tuple[list[dict[str, Any]], _Texts]:
    """The inspectorate, its inspectors, the regional publishers and the national source."""
    texts = _Texts()
    national = "source/synthetic-england"
    records: list[dict[str, Any]] = [
        {
            "id": national,
            "name": "Synthetic register of inspectors and publishers",
            "title": "Synthetic register of inspectors and publishers",
            "kind": "inspectorate-letter",
            "reliability": "primary",
            "publisher": "Ofsted",
            "published": "2013",
            "file": "synthetic-england.txt",
            "published_by": "body/ofsted",
            "description": "Not a real document: the shared cast of the synthetic dataset.",
            "cite": [
                texts.cite(national, "Synthetic register of inspectors and publishers"),
                texts.cite(national, "Published in 2013."),
            ],
        },
        {
            "id": "body/ofsted",
            "name": "Ofsted",
            "aliases": ["the inspectorate"],
            "kind": "inspectorate",
            "cite": [
                texts.cite(national, "Ofsted inspects local authority children's services."),
                _also_known(national, "Ofsted", ["the inspectorate"], texts),
            ],
        },
    ]
    for number, (region, _, _) in enumerate(REGIONS, start=1):
        records.append(
            {
                "id": f"body/publisher-{number:02d}",
                "name": f"Regional News {number:02d}",
                "kind": "publisher",
                "description": f"A synthetic news publisher in the {region} region.",
                "cite": [texts.cite(national, f"Regional News {number:02d} reports on {region}.")],
            }
        )
        for k in (1, 2):
            records.append(
                {
                    "id": f"person/journalist-{number:02d}-{k}",
                    "name": f"Person N-{number:02d}-{k}",
                    "cite": [
                        texts.cite(
                            national,
                            f"Person N-{number:02d}-{k} writes for Regional News {number:02d}.",
                        )
                    ],
                }
            )
        for inspector in _inspector_pool(region):
            records.append(
                {
                    "id": f"person/inspector-{inspector:03d}",
                    "name": f"Person I-{inspector:03d}",
                    "cite": [
                        texts.cite(
                            national, f"Person I-{inspector:03d} inspects in the {region} region."
                        )
                    ],
                }
            )
    return records, texts


def _region_number(region: str) -> int:
    return [name for name, _, _ in REGIONS].index(region) + 1


# --- writing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    folder: Path
    files: int
    texts: int
    records: int


def write_dataset(out: Path, authorities: int, years: int = 7, seed: int = 1) -> Written:
    """Write the dataset files and their texts into `out` (created if needed)."""
    if authorities < 1:
        raise ValueError("at least one authority")
    if years < 1:
        raise ValueError("at least one year")
    out.mkdir(parents=True, exist_ok=True)
    (out / "texts").mkdir(exist_ok=True)
    plans = plan_england(authorities, years, seed)
    files = texts_written = records_written = 0
    parts = [("england.yaml", *england_records(plans))]
    for plan in plans:
        parts.append((f"authority-{plan.index:03d}.yaml", *authority_records(plan, seed)))
    for file_name, records, texts in parts:
        header = (
            "# Synthetic data written by `oversight synth` (loaders/synth.py): not real people,\n"
            f"# places or reports. Seed {seed}, {authorities} authorities, {years} years.\n"
        )
        _write(out / file_name, header + to_yaml(records))
        files += 1
        records_written += len(records)
        for record in records:
            if record.get("id", "").startswith("source/"):
                lines = texts.lines.get(record["id"], [])
                _write(out / "texts" / record["file"], "\n\n".join(lines) + "\n")
                texts_written += 1
    return Written(out, files, texts_written, records_written)


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def examples(plans: list[Plan]) -> dict[str, str]:
    """Synthetic stand-ins for the saved queries' Tower Hamlets example ids.

    The first authority with two full inspections plays Tower Hamlets: its first inspection
    is `inspection/ofsted-2017`, its second `inspection/ofsted-2019`, and so on. Keys are the
    examples' ids and, for ids no saved query names yet, each label's prefix.
    """
    plan = next((p for p in plans if len(p.inspections()) >= 2), plans[0])
    first, *later = plan.inspections()
    second = later[0] if later else first
    a = plan.slug
    dcs = _holder(plan, "dcs", first.start) or f"person/{a}-01"
    lead_member = _holder(plan, "lead-member", first.start) or dcs
    ids = {
        "inspection/ofsted-2017": f"inspection/{a}-{first.key}",
        "inspection/ofsted-2019": f"inspection/{a}-{second.key}",
        "finding/2017-insufficient-scrutiny": f"finding/{a}-{first.key}-01",
        "body/overview-and-scrutiny": f"body/{a}-scrutiny",
        "service/mash": f"service/{a}-mash",
        "body/tower-hamlets-council": f"body/{a}-council",
        "person/debbie-jones": dcs,
        "person/rachael-saunders": lead_member,
        "person/brenda-mclaughlin": f"person/inspector-{first.inspectors[0]:03d}",
        "post/director-of-childrens-services": f"post/{a}-dcs",
        "judgement/2017-overall": f"judgement/{a}-{first.key}-overall",
        "source/love-wapping-2017": f"source/{a}-{first.key}-report",
        "measure/2017-initial-health-assessments": f"measure/{a}-{first.key}-iha",
        "statement/2017-biggs-situation-unacceptable": f"statement/{a}-{first.key}-leader",
    }
    defaults = {
        "person/": dcs,
        "post/": f"post/{a}-dcs",
        "body/": f"body/{a}-scrutiny",
        "service/": f"service/{a}-mash",
        "inspection/": f"inspection/{a}-{first.key}",
        "judgement/": f"judgement/{a}-{first.key}-overall",
        "finding/": f"finding/{a}-{first.key}-01",
        "source/": f"source/{a}-{first.key}-report",
        "statement/": f"statement/{a}-{first.key}-scrutiny",
    }
    return ids | defaults


def synthetic_parameters(values: dict[str, Any], stand_ins: dict[str, str]) -> dict[str, Any]:
    """A saved query's example values with Tower Hamlets ids replaced by synthetic ones."""

    def swap(value: Any) -> Any:
        if isinstance(value, list):
            return [swap(v) for v in value]
        if not isinstance(value, str) or "/" not in value:
            return value
        if value in stand_ins:
            return stand_ins[value]
        prefix = value.split("/", 1)[0] + "/"
        return stand_ins.get(prefix, value)

    return {name: swap(value) for name, value in values.items()}


# --- YAML in the curated style -----------------------------------------------------------------

_PLAIN = re.compile(r"[a-z][a-z0-9/_.-]*\Z")
_RESERVED = {"yes", "no", "on", "off", "true", "false", "null", "y", "n"}


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if _PLAIN.match(text) and text not in _RESERVED:
        return text
    if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
        return text  # a date: the loader keeps its written form
    return json.dumps(text, ensure_ascii=False)


def to_yaml(records: list[dict[str, Any]]) -> str:
    """Block-style YAML like the bundled dataset's: one `- id:` (or `- extend:`) per record."""
    out: list[str] = []
    for record in records:
        out.append("")
        _mapping(record, "- ", "  ", out)
    return "\n".join(out).lstrip("\n") + "\n"


def _mapping(mapping: dict[str, Any], first: str, indent: str, out: list[str]) -> None:
    prefix = first
    for key, value in mapping.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            out.append(f"{prefix}{key}:")
            for item in value:
                _mapping(item, f"{indent}  - ", f"{indent}    ", out)
        elif isinstance(value, list):
            out.append(f"{prefix}{key}: [{', '.join(_scalar(v) for v in value)}]")
        else:
            out.append(f"{prefix}{key}: {_scalar(value)}")
        prefix = indent


# --- dates -------------------------------------------------------------------------------------


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


def _weekday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() > 4 else 0)


def _month_text(day: dt.date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def _day_text(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
