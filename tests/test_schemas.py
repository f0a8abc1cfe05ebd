"""The project's own JSON Schemas (tests/schemas/) say what the specs say.

The feed and embed tests validate our output against these schemas, so a
schema that accepted anything would make them pass vacuously: each case here
is a document the spec forbids, and the schema must reject it.
"""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from sites import SCHEMAS


def validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Smart Notes",
    "home_page_url": "https://example.org/",
    "feed_url": "https://example.org/feed.json",
    "authors": [{"name": "Maggie Long"}],
    "items": [{
        "id": "https://example.org/notes/a/",
        "url": "https://example.org/notes/a/",
        "title": "A",
        "content_html": "<p>Body</p>",
        "date_published": "2012-05-24T00:00:00-04:00",
        "tags": ["transparency"],
        "attachments": [{"url": "https://example.org/a.pdf", "mime_type": "application/pdf", "size_in_bytes": 3}],
        "_smartnotes": {"related": []},
    }],
}


DELETE = object()


def feed_with(path: tuple, value) -> dict:
    doc = copy.deepcopy(FEED)
    *parents, last = path
    target = doc
    for key in parents:
        target = target[key]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return doc


FEED_MISTAKES = {
    "old version": (("version",), "https://jsonfeed.org/version/1"),
    "no title": (("title",), DELETE),
    "no items": (("items",), DELETE),
    "relative feed url": (("feed_url",), "/feed.json"),
    "item without id": (("items", 0, "id"), DELETE),
    "numeric id": (("items", 0, "id"), 7),
    "item without content": (("items", 0, "content_html"), DELETE),
    "date without offset": (("items", 0, "date_published"), "2012-05-24T00:00:00"),
    "date as RFC 822": (("items", 0, "date_published"), "Thu, 24 May 2012 00:00:00 -0400"),
    "author with nothing": (("authors",), [{}]),
    "attachment without type": (("items", 0, "attachments"), [{"url": "https://example.org/a.pdf"}]),
    "unknown key": (("items", 0, "content"), "x"),
}


def test_jsonfeed_schema_accepts_a_valid_feed():
    validator("jsonfeed-1.1.schema.json").validate(FEED)


@pytest.mark.parametrize("case", FEED_MISTAKES)
def test_jsonfeed_schema_rejects(case):
    path, value = FEED_MISTAKES[case]
    assert not validator("jsonfeed-1.1.schema.json").is_valid(feed_with(path, value))


RICH = {"version": "1.0", "type": "rich", "html": "<iframe></iframe>", "width": 600, "height": 240,
        "title": "A", "provider_name": "Smart Notes", "provider_url": "https://example.org/"}

OEMBED_MISTAKES = {
    "no version": {k: v for k, v in RICH.items() if k != "version"},
    "version 2": {**RICH, "version": "2.0"},
    "unknown type": {**RICH, "type": "page"},
    "rich without html": {k: v for k, v in RICH.items() if k != "html"},
    "rich without height": {k: v for k, v in RICH.items() if k != "height"},
    "width as text": {**RICH, "width": "600"},
    "photo without url": {"version": "1.0", "type": "photo", "width": 1, "height": 1},
    "thumbnail alone": {**RICH, "thumbnail_url": "https://example.org/t.png"},
    "relative provider url": {**RICH, "provider_url": "/"},
    "negative cache age": {**RICH, "cache_age": -1},
}


def test_oembed_schema_accepts_a_rich_response():
    validator("oembed-1.0.schema.json").validate(RICH)
    validator("oembed-1.0.schema.json").validate({"version": "1.0", "type": "link"})


@pytest.mark.parametrize("case", OEMBED_MISTAKES)
def test_oembed_schema_rejects(case):
    assert not validator("oembed-1.0.schema.json").is_valid(OEMBED_MISTAKES[case])
