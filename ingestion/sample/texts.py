"""Message and topic texts: short, varied, deterministic given the RNG."""

from __future__ import annotations

TOOLS = [
    "dbt",
    "DuckDB",
    "dlt",
    "Dagster",
    "Airflow",
    "Snowflake",
    "BigQuery",
    "Postgres",
    "Kafka",
    "Spark",
    "pandas",
    "Great Expectations",
    "Looker",
    "Metabase",
]
THINGS = [
    "incremental models",
    "schema changes",
    "a slow join",
    "timezone handling",
    "deduplication",
    "late-arriving data",
    "partitioned tables",
    "secrets in CI",
    "unit tests",
    "snapshots",
    "the REST API",
    "rate limits",
    "backfills",
    "row counts",
]
VERBS = ["configure", "debug", "speed up", "test", "deploy", "monitor", "migrate", "document"]
CHATTER = [
    "Great talk yesterday, thanks everyone!",
    "Anyone going to the meetup next week?",
    "Just shipped our first pipeline to prod :tada:",
    "TIL you can {verb} {thing} in {tool}",
    "Sharing a blog post about {thing} with {tool}",
    "Happy Friday folks!",
    "What's everyone's favourite way to {verb} {thing}?",
    "Loving the new {tool} release",
    "Hot take: {thing} is harder than it looks",
    "Coffee chat anyone? Based in {city}.",
]
ANSWERS = [
    "Have you tried setting the {thing} option in {tool}?",
    "This is a known issue, see the docs on {thing}.",
    "I hit the same thing; upgrading {tool} fixed it for me.",
    "Can you share the full error message?",
    "You can {verb} it with a config flag.",
    "Thanks, that worked!",
    "Following, same problem here.",
    "+1, would love a fix.",
]
INTROS = [
    "Hi all, I'm {first} from {city}. I work on data at {company}.",
    "Hello! {first} here, {title} based in {city}. Excited to learn about {tool}.",
    "Hey everyone :wave: I'm {first}, using {tool} for {thing}.",
    "New here - {first} from {city}. Looking forward to the meetups!",
]
WELCOMES = [
    "Welcome {first}! :wave:",
    "Welcome aboard!",
    "Great to have you here {first}.",
    "Welcome! Check out #help if you get stuck.",
]
REACTIONS = [
    "+1",
    "tada",
    "heart",
    "eyes",
    "raised_hands",
    "white_check_mark",
    "joy",
    "rocket",
    "pray",
    "100",
]
QUESTIONS = [
    "How do I {verb} {thing} with {tool}?",
    "Why does {tool} fail on {thing}?",
    "Best practice for {thing} in {tool}?",
    "{tool}: error when I {verb} {thing}",
    "Is there a way to {verb} {thing} without downtime?",
]


def fill(template: str, r, **kw: str) -> str:
    values = {
        "tool": r.choice(TOOLS),
        "thing": r.choice(THINGS),
        "verb": r.choice(VERBS),
        "city": "",
        "first": "",
        "company": "my company",
        "title": "engineer",
    }
    values.update(kw)
    return template.format(**values)
