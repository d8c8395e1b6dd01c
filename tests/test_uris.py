"""A Neo4j URI as messages show it (graph/stores.py): never a password, never a query value.

The commands that print these are tested in tests/test_hostile.py and the error matrix; these
pin the two functions themselves, one case per rule.
"""

from __future__ import annotations

import pytest
from oversight.graph.stores import scrubbed, shown_uri

SHOWN = [
    ("bolt://localhost:7687", "bolt://localhost:7687"),
    ("bolt://user:pw@host:7687/db?password=pw#x", "bolt://host:7687/db?password=***"),
    ("neo4j://neo4j:s3cret@127.0.0.1:7687", "neo4j://127.0.0.1:7687"),
    ("neo4j+s://user@host", "neo4j+s://host"),  # a user name alone is user info too
    ("bolt://u:p@ss/w?rd#@host:1", "bolt://host:1"),  # the last @ ends the user info
    ("bolt://host?password=pw&policy=x", "bolt://host?password=***&policy=***"),
    ("bolt://host?a=1;b=2", "bolt://host?a=***&b=***"),
    ("bolt://host?token", "bolt://host?token=***"),
    ("bolt://host?a=1&&b=2", "bolt://host?a=***&&b=***"),
    ("bolt://host#password=pw", "bolt://host"),
    ("user:pw@host:7687", "host:7687"),  # no scheme
    ("host:7687", "host:7687"),
]


@pytest.mark.parametrize(("uri", "shown"), SHOWN, ids=[s for s, _ in SHOWN])
def test_shown_uri(uri: str, shown: str) -> None:
    assert shown_uri(uri) == shown


@pytest.mark.parametrize("uri", [uri for uri, _ in SHOWN])
def test_shown_uri_holds_no_secret(uri: str) -> None:
    shown = shown_uri(uri)
    assert "@" not in shown
    assert not any(secret in shown for secret in ("pw", "s3cret", "p@ss", "w?rd", "=1", "=x"))


def test_scrubbed_masks_user_info_and_query_values_wherever_they_appear() -> None:
    uri = "bolt://ann:Pa55-word@db.example:7687?password=tok3n&x=1"
    message = (
        "Unable to connect to ann:Pa55-word@db.example:7687?password=tok3n&x=1 "
        "(password=tok3n, user ann:Pa55-word)"
    )
    text = scrubbed(message, uri)
    assert "Pa55-word" not in text and "tok3n" not in text
    assert text == "Unable to connect to ***@db.example:7687?*** (password=***, user ***)"
    assert scrubbed("nothing secret here", uri) == "nothing secret here"
    assert scrubbed("user ann:Pa55-word", "bolt://db.example:7687") == "user ann:Pa55-word"
