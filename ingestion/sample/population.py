"""The people of the sample community and their accounts (ground truth and identity noise).

People arrive over time: founders before `start`, then a growing stream. Person k's attributes
come from their own RNG stream, so the set of people at a later `today` only adds people.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from .util import code36, code62, rng

STAFF_DOMAIN = "commops.dev"
OLD_ANNOUNCEMENTS_ARCHIVED_DAY = 45  # slack_gen.CHANNELS archive_d of announcements-2024
INF = float("inf")

FIRST_NAMES = [
    "Ada",
    "Alan",
    "Grace",
    "Linus",
    "Maya",
    "Noah",
    "Olivia",
    "Liam",
    "Emma",
    "Lucas",
    "Sofia",
    "Mateo",
    "Aisha",
    "Omar",
    "Priya",
    "Arjun",
    "Mei",
    "Hiroshi",
    "Yuki",
    "Chen",
    "Fatima",
    "Kwame",
    "Amara",
    "Lars",
    "Ingrid",
    "Pierre",
    "Camille",
    "Giulia",
    "Marco",
    "Ana",
    "João",
    "Zoë",
    "José",
    "Jon",
    "Catherine",
    "Steven",
    "Mohammed",
    "Aleksandr",
    "Elena",
    "Dmitri",
    "Sara",
    "David",
    "Rachel",
    "Daniel",
    "Leah",
    "Samuel",
    "Nina",
    "Tom",
    "Julia",
    "Max",
    "Chloe",
    "Ethan",
    "Isabel",
    "Felix",
    "Hannah",
    "Oscar",
    "Lena",
    "Ivan",
    "Ravi",
    "Anika",
    "Tariq",
    "Layla",
    "Kofi",
    "Zanele",
    "Pablo",
    "Lucía",
    "Diego",
    "Valentina",
    "Sven",
    "Freya",
    "Kenji",
    "Sakura",
    "Min-jun",
    "Ji-woo",
    "Tevita",
    "Aroha",
    "Chidi",
    "Ngozi",
]
LAST_NAMES = [
    "Lovelace",
    "Turing",
    "Hopper",
    "Torvalds",
    "Patel",
    "Nguyen",
    "Smith",
    "Johnson",
    "Garcia",
    "Müller",
    "Rossi",
    "Silva",
    "Kim",
    "Lee",
    "Wang",
    "Tanaka",
    "Sato",
    "Okafor",
    "Mensah",
    "Andersson",
    "Larsen",
    "Dubois",
    "Martin",
    "Bianchi",
    "Costa",
    "Santos",
    "Novak",
    "Ivanova",
    "Kowalski",
    "Cohen",
    "Levi",
    "Brown",
    "Taylor",
    "Wilson",
    "Davies",
    "Evans",
    "Thomas",
    "Khan",
    "Ahmed",
    "Hassan",
    "Singh",
    "Sharma",
    "Chen",
    "Liu",
    "Yamamoto",
    "Park",
    "Choi",
    "Fernández",
    "López",
    "Martínez",
    "González",
    "Herrera",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Nielsen",
    "Jensen",
    "Virtanen",
    "Kaur",
    "Adeyemi",
    "Mwangi",
    "Owusu",
    "Tui",
    "O'Brien",
    "Murphy",
    "Walsh",
    "Kelly",
    "Byrne",
    "Novotný",
    "Horvat",
    "Popescu",
    "Nowak",
]
# Spelling variants a person's name shows on another platform.
NAME_VARIANTS = {
    "Jon": "John",
    "Catherine": "Katherine",
    "Steven": "Stephen",
    "Mohammed": "Muhammad",
    "Aleksandr": "Alexander",
    "Zoë": "Zoe",
    "José": "Jose",
    "João": "Joao",
    "Lucía": "Lucia",
    "Müller": "Mueller",
    "Fernández": "Fernandez",
    "López": "Lopez",
    "Martínez": "Martinez",
    "González": "Gonzalez",
    "Novotný": "Novotny",
    "Sofia": "Sophia",
    "Dmitri": "Dmitry",
}
# (city, country, tz, tz_label, tz_offset seconds, weight)
CITIES = [
    ("San Francisco", "United States", "America/Los_Angeles", "Pacific Standard Time", -28800, 9),
    ("New York", "United States", "America/New_York", "Eastern Standard Time", -18000, 9),
    ("Austin", "United States", "America/Chicago", "Central Standard Time", -21600, 4),
    ("Toronto", "Canada", "America/Toronto", "Eastern Standard Time", -18000, 4),
    ("São Paulo", "Brazil", "America/Sao_Paulo", "Brasilia Standard Time", -10800, 4),
    ("Mexico City", "Mexico", "America/Mexico_City", "Central Standard Time", -21600, 3),
    ("London", "United Kingdom", "Europe/London", "Greenwich Mean Time", 0, 8),
    ("Berlin", "Germany", "Europe/Berlin", "Central European Time", 3600, 7),
    ("Paris", "France", "Europe/Paris", "Central European Time", 3600, 5),
    ("Amsterdam", "Netherlands", "Europe/Amsterdam", "Central European Time", 3600, 4),
    ("Stockholm", "Sweden", "Europe/Stockholm", "Central European Time", 3600, 3),
    ("Warsaw", "Poland", "Europe/Warsaw", "Central European Time", 3600, 3),
    ("Lagos", "Nigeria", "Africa/Lagos", "West Africa Standard Time", 3600, 3),
    ("Nairobi", "Kenya", "Africa/Nairobi", "East Africa Time", 10800, 2),
    ("Bangalore", "India", "Asia/Kolkata", "India Standard Time", 19800, 7),
    ("Singapore", "Singapore", "Asia/Singapore", "Singapore Standard Time", 28800, 3),
    ("Tokyo", "Japan", "Asia/Tokyo", "Japan Standard Time", 32400, 4),
    ("Seoul", "South Korea", "Asia/Seoul", "Korean Standard Time", 32400, 3),
    ("Sydney", "Australia", "Australia/Sydney", "Australian Eastern Daylight Time", 39600, 3),
    ("Auckland", "New Zealand", "Pacific/Auckland", "New Zealand Daylight Time", 46800, 1),
]
INDUSTRIES = [
    "COMPUTER_SOFTWARE",
    "FINANCIAL_SERVICES",
    "HOSPITAL_HEALTH_CARE",
    "RETAIL",
    "EDUCATION_MANAGEMENT",
    "MARKETING_AND_ADVERTISING",
    "INFORMATION_TECHNOLOGY_AND_SERVICES",
]
COMPANY_WORDS_A = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Hooli",
    "Pied",
    "Vandelay",
    "Soylent",
    "Cyberdyne",
    "Tyrell",
    "Wonka",
    "Nakatomi",
    "Oscorp",
    "Aperture",
    "Black Mesa",
    "Massive",
    "Duff",
    "Gringotts",
    "Monarch",
    "Virtucon",
]
COMPANY_WORDS_B = [
    "Labs",
    "Systems",
    "Data",
    "Analytics",
    "Cloud",
    "Works",
    "Dynamics",
    "AI",
    "Networks",
    "Health",
    "Bank",
    "Retail",
    "Logistics",
    "Studio",
    "Robotics",
]
TITLES = [
    "Data Engineer",
    "Analytics Engineer",
    "Software Engineer",
    "Data Scientist",
    "Engineering Manager",
    "Head of Data",
    "Product Manager",
    "Developer Advocate",
    "Student",
    "CTO",
    "Consultant",
    "Platform Engineer",
]
STAFF_TITLES = [
    "Community Manager",
    "Developer Advocate",
    "Support Engineer",
    "Head of Community",
    "Solutions Engineer",
]
PERSONAL_PROVIDERS = [
    ("gmail.com", 50),
    ("outlook.com", 14),
    ("yahoo.com", 9),
    ("proton.me", 9),
    ("fastmail.com", 5),
    ("googlemail.com", 5),
    ("hey.com", 3),
    ("icloud.com", 5),
]


def ascii_fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return "".join(c for c in s.lower() if c.isalnum())


def normalize_email(email: str | None) -> str | None:
    """DESIGN.md's rule: trim, lowercase; gmail.com/googlemail.com drop dots and +tag."""
    if not email:
        return None
    e = email.strip().lower()
    if "@" not in e:
        return None
    local, domain = e.rsplit("@", 1)
    if domain in ("gmail.com", "googlemail.com"):
        local = local.split("+", 1)[0].replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"


def _weighted(r, items):
    total = sum(w for *_, w in items)
    x = r.random() * total
    for it in items:
        x -= it[-1]
        if x < 0:
            return it
    return items[-1]


@dataclass(slots=True)
class Company:
    idx: int
    name: str
    domain: str
    industry: str
    city: int
    employees: int


@dataclass(slots=True)
class Person:
    k: int
    pid: str
    first: str
    last: str
    join_day: int  # day offset from start of first appearance (negative: before start)
    join_t: float  # exact time in days from start
    city: int
    company: int  # -1: none
    title: str
    is_staff: bool
    weight: int
    leave_t: float  # churn time in days from start (INF: never)
    work_email: str | None = None
    personal_email: str = ""
    alt_first: str = ""  # spelling variant used on some platforms
    # platforms
    slack_t: float = INF
    slack_id: str = ""
    slack_email: str | None = None
    slack_guest: int = 0  # 0 full member, 1 multi-channel guest, 2 single-channel guest
    slack_deleted_t: float = INF
    slack_admin: bool = False
    discourse_t: float = INF
    discourse_email: str = ""
    discourse_staged: bool = False
    discourse_suspended_t: float = INF
    crm_t: float = INF
    crm_email: str = ""
    crm_dup_t: float = INF
    crm_dup_email: str = ""
    crm_merge_t: float = INF
    crm_archive_t: float = INF
    crm_lifecycle: list = field(default_factory=list)  # [(t, stage)]
    xlink_slack: bool = False
    xlink_discourse: bool = False
    luma_t: float = INF
    luma_email: str = ""
    luma_id: str = ""
    ambassador_t: float = INF
    channels: dict = field(default_factory=dict)  # channel key -> join time (days)

    @property
    def full_name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class Population:
    people: list[Person]
    companies: list[Company]
    team_id: str


def founders_count(n: int) -> int:
    return max(8, round(n * 0.3))


def staff_count(n: int) -> int:
    return max(5, n // 150)


def arrival_day(i: int, n: int, origin_days: int) -> int:
    """Join day of the i-th arrival: cumulative arrivals grow like 0.6x + 0.4x² over the window."""
    m = max(1, n - founders_count(n))
    u = (i + 0.5) / m
    a = 0.6
    x = (-a + math.sqrt(a * a + 4 * (1 - a) * u)) / (2 * (1 - a))
    return int(math.floor(x * origin_days))


def count_people(n: int, origin_days: int, today_d: int) -> int:
    f = founders_count(n)
    lo, hi = 0, max(1, n) * 4 + 10
    while arrival_day(hi, n, origin_days) <= today_d:
        hi *= 2
    while lo < hi:  # first arrival index with day > today_d
        mid = (lo + hi) // 2
        if arrival_day(mid, n, origin_days) <= today_d:
            lo = mid + 1
        else:
            hi = mid
    return f + lo


def _email_local(first: str, last: str, r) -> str:
    f, la = ascii_fold(first), ascii_fold(last)
    style = r.random()
    if style < 0.45:
        return f"{f}.{la}"
    if style < 0.65:
        return f"{f}{la}"
    if style < 0.8:
        return f"{f[0]}{la}"
    return f"{f}.{la}{r.randint(1, 99)}"


def _gmail_noise(email: str, r) -> str:
    """Same gmail mailbox, written differently (dots, +tag, googlemail, case)."""
    local, domain = email.split("@")
    if domain not in ("gmail.com", "googlemail.com"):
        return email
    x = r.random()
    plain = local.replace(".", "")
    if x < 0.35:
        local = plain
    elif x < 0.6:
        local = f"{local}+{r.choice(['slack', 'community', 'events', 'forum'])}"
    elif x < 0.75 and len(plain) > 3:
        cut = r.randint(1, len(plain) - 1)
        local = plain[:cut] + "." + plain[cut:]
    else:
        domain = "googlemail.com" if domain == "gmail.com" else "gmail.com"
    return f"{local}@{domain}"


def _case_noise(email: str, r) -> str:
    x = r.random()
    if x < 0.5:
        local, domain = email.split("@")
        return ".".join(p.capitalize() for p in local.split(".")) + "@" + domain
    if x < 0.75:
        return email.upper()
    return f" {email} " if x < 0.9 else f"{email} "


def _companies(seed: int, n: int) -> list[Company]:
    count = max(12, n // 25)
    out: list[Company] = []
    seen: set[str] = set()
    for i in range(count):
        r = rng(seed, "company", i)
        a, b = r.choice(COMPANY_WORDS_A), r.choice(COMPANY_WORDS_B)
        name = f"{a} {b}"
        if name in seen:
            name = f"{a} {b} {i}"
        seen.add(name)
        domain = ascii_fold(name) + r.choice([".com", ".io", ".co", ".ai"])
        out.append(
            Company(
                i,
                name,
                domain,
                r.choice(INDUSTRIES),
                _weighted_index(r, CITIES),
                r.choice([10, 50, 120, 400, 1500, 8000]),
            )
        )
    return out


def _weighted_index(r, items) -> int:
    total = sum(it[-1] for it in items)
    x = r.random() * total
    for i, it in enumerate(items):
        x -= it[-1]
        if x < 0:
            return i
    return len(items) - 1


def build_population(seed: int, n: int, origin_days: int, today_d: int) -> Population:
    total = count_people(n, origin_days, today_d)
    companies = _companies(seed, n)
    f = founders_count(n)
    s = staff_count(n)
    people: list[Person] = []
    used_norm: set[str] = set()
    for k in range(total):
        r = rng(seed, "person", k)
        if k < f:
            join_day = -1 - int(r.random() * 365) if k >= s else -400 + k
        else:
            join_day = arrival_day(k - f, n, origin_days)
        join_t = join_day + r.random()
        first, last = r.choice(FIRST_NAMES), r.choice(LAST_NAMES)
        if k % 97 == 41 and people:  # a namesake of the previous person: never the same member
            first, last = people[-1].first, people[-1].last
        is_staff = k < s
        company = -1
        if not is_staff and r.random() < 0.62:
            company = r.randrange(len(companies))
        city = (
            companies[company].city
            if company >= 0 and r.random() < 0.6
            else _weighted_index(r, CITIES)
        )
        title = r.choice(STAFF_TITLES) if is_staff else r.choice(TITLES)
        weight = 0 if r.random() < 0.22 else _weighted(r, [(1, 45), (2, 30), (4, 17), (10, 8)])[0]
        if is_staff:
            weight = 6
        leave_t = INF
        if not is_staff and r.random() < 0.35:
            leave_t = join_t + 14 + r.expovariate(1 / 200)
        p = Person(
            k=k,
            pid=f"P{k + 1:06d}",
            first=first,
            last=last,
            join_day=join_day,
            join_t=join_t,
            city=city,
            company=company,
            title=title,
            is_staff=is_staff,
            weight=weight,
            leave_t=leave_t,
        )
        p.alt_first = NAME_VARIANTS.get(first, first)
        _emails(p, r, companies, used_norm)
        _accounts(p, r, seed)
        people.append(p)
    return Population(
        people=people, companies=companies, team_id="T" + code36(900_000_000 + seed, 8)
    )


def _unique(candidate: str, used: set[str], r) -> str:
    email = candidate
    n = 2
    while normalize_email(email) in used:
        local, domain = candidate.split("@")
        email = f"{local}{n}@{domain}"
        n += r.randint(1, 9)
    used.add(normalize_email(email))
    return email


def _emails(p: Person, r, companies: list[Company], used: set[str]) -> None:
    if p.is_staff:
        p.work_email = _unique(
            f"{ascii_fold(p.first)}.{ascii_fold(p.last)}@{STAFF_DOMAIN}", used, r
        )
    elif p.company >= 0:
        p.work_email = _unique(
            f"{_email_local(p.first, p.last, r)}@{companies[p.company].domain}", used, r
        )
    provider = _weighted(r, PERSONAL_PROVIDERS)[0]
    p.personal_email = _unique(f"{_email_local(p.first, p.last, r)}@{provider}", used, r)


def _accounts(p: Person, r, seed: int) -> None:
    """Which platforms a person uses, when they signed up there, and how their email shows."""
    work, personal = p.work_email, p.personal_email
    main = work or personal
    if p.is_staff:
        p.slack_t = p.join_t
        p.discourse_t = p.join_t + r.random() * 3
        p.slack_email = work
        p.discourse_email = work or personal
        p.slack_admin = True
        if r.random() < 0.5:
            p.luma_t = p.join_t + r.random() * 10
            p.luma_email = work or personal
        for ch in (
            "general",
            "help",
            "introductions",
            "events",
            "random",
            "ambassadors",
            "office-hours",
            "old-announcements",
        ):
            p.channels[ch] = p.slack_t
    else:
        has_slack = r.random() < 0.8
        has_discourse = r.random() < 0.4
        has_crm = r.random() < 0.45
        has_luma = r.random() < 0.4
        if not (has_slack or has_discourse or has_crm or has_luma):
            has_slack = True
        # the first platform is where the person first appears (join_t)
        order = [
            x
            for x, on in (
                ("slack", has_slack),
                ("discourse", has_discourse),
                ("crm", has_crm),
                ("luma", has_luma),
            )
            if on
        ]
        r.shuffle(order)
        for i, plat in enumerate(order):
            t = p.join_t if i == 0 else p.join_t + r.expovariate(1 / 40)
            setattr(p, f"{plat}_t", t)
        # Everyone signs up with their main address (work if employed), spelled loosely.
        # Deviations (another address, or none shown) are what cross-links exist for; a few
        # stay unlinkable on purpose.
        if has_crm:
            p.crm_email = main
            if r.random() < 0.15:
                p.crm_email = _case_noise(p.crm_email, r)
        if has_slack:
            e = main
            crm_first = has_crm and p.crm_t <= p.slack_t  # the CRM can cross-link it
            if work and r.random() < (0.3 if crm_first else 0.008):
                e = personal
            if r.random() < 0.3:
                e = _gmail_noise(e, r)
            if r.random() < 0.1:
                e = _case_noise(e, r)
            p.slack_email = None if r.random() < (0.05 if crm_first else 0.006) else e
            x = r.random()
            p.slack_guest = 1 if x < 0.03 else (2 if x < 0.04 else 0)
            if p.leave_t < INF and r.random() < 0.3:
                p.slack_deleted_t = p.leave_t + 10 + r.random() * 50
            _channels(p, r)
        if has_discourse:
            e = main
            crm_first = has_crm and p.crm_t <= p.discourse_t
            if work and r.random() < (0.2 if crm_first else 0.006):
                e = personal
            if r.random() < 0.35:
                e = _gmail_noise(e, r)
            p.discourse_email = e
            p.discourse_staged = r.random() < 0.02
            if r.random() < 0.005:
                p.discourse_suspended_t = p.discourse_t + 20 + r.random() * 100
        if has_luma:
            e = personal if work and r.random() < 0.008 else main
            if r.random() < 0.25:
                e = _gmail_noise(e, r)
            if r.random() < 0.25:
                e = _case_noise(e, r)
            p.luma_email = e
        if has_crm:
            crm_norm = normalize_email(p.crm_email)
            if has_slack:
                differs = p.slack_email is None or normalize_email(p.slack_email) != crm_norm
                p.xlink_slack = r.random() < (0.97 if differs else 0.15)
            if has_discourse:
                differs = normalize_email(p.discourse_email) != crm_norm
                p.xlink_discourse = r.random() < (0.96 if differs else 0.05)
            if r.random() < 0.05:  # a duplicate contact, often merged later
                p.crm_dup_t = p.crm_t + 5 + r.random() * 120
                # the same person entered again, address spelled differently
                p.crm_dup_email = _gmail_noise(_case_noise(p.crm_email.strip(), r).strip(), r)
                if r.random() < 0.7:
                    p.crm_merge_t = p.crm_dup_t + 1 + r.random() * 60
            if r.random() < 0.025:
                p.crm_archive_t = p.crm_t + 30 + r.random() * 400
            _lifecycle(p, r)
        if p.weight >= 4 and has_slack and r.random() < 0.2:
            p.ambassador_t = p.slack_t + 30 + r.random() * 200
            p.channels["ambassadors"] = p.ambassador_t
    p.slack_id = "U" + code36(p.k, 8) if p.slack_t < INF else ""
    p.luma_id = "usr-" + code62(p.k, 15) if p.luma_t < INF else ""


def _channels(p: Person, r) -> None:
    t = p.slack_t
    p.channels["general"] = t
    for ch, prob in (
        ("help", 0.6),
        ("introductions", 0.7),
        ("events", 0.5),
        ("random", 0.5),
        ("office-hours", 0.15),
    ):
        if p.slack_guest == 2 and ch != "help":
            continue
        if r.random() < prob:
            p.channels[ch] = t + (0 if r.random() < 0.6 else r.random() * 20)
    if t < OLD_ANNOUNCEMENTS_ARCHIVED_DAY:  # nobody joins an archived channel
        p.channels["old-announcements"] = t


def _lifecycle(p: Person, r) -> None:
    stages = [
        "subscriber",
        "lead",
        "marketingqualifiedlead",
        "salesqualifiedlead",
        "opportunity",
        "customer",
    ]
    start_i = 0 if r.random() < 0.5 else 1
    steps = [(p.crm_t, stages[start_i])]
    t = p.crm_t
    for st in stages[start_i + 1 :]:
        if r.random() < 0.45:
            break
        t += 3 + r.expovariate(1 / 45)
        steps.append((t, st))
    p.crm_lifecycle = steps


def location_of(p: Person) -> tuple[str, str, str, str, int]:
    c = CITIES[p.city]
    return c[0], c[1], c[2], c[3], c[4]


def start_date_of(today: date, days: int) -> date:
    from datetime import timedelta

    return today - timedelta(days=days)
