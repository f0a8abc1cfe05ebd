"""The fast "Have you read?" index against its plain reference (``related/reference.py``).

On random corpora (shared signals and words, drafts, future dates, curated
entries, equal dates and titles), ``build_related`` must give every list
that ``reference.related_lists`` gives: the same entries in the same order,
the same scores (to float noise).  The fast path's machinery is varied as it
is: blocks of one row and more (``BLOCK``), one and two threads
(``WORKERS``), features made "common" at a handful of publications
(``NOMINATE_LIMIT``: the bound-and-redo search and the 64-bit masks), and the
words counted partly by the helper process (``HELPER_FROM``).
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartnotes.related import index, words
from smartnotes.related.index import DEFAULT_WEIGHTS, RelatedOptions
from smartnotes.related.links import build_related
from smartnotes.related.reference import related_lists
from test_related import CASES, DAY0, NOTES, YOUNG_SITE, pub

NOW = DAY0 + timedelta(days=50)  # publications dated later are not published yet
# Enough words that a publication has more than TERMS_KEPT feature words; some never become
# features (digits, "_", function words, short ones), some are not ASCII or change under case-folding.
WORDS = """loans savings pricing grievance training insurance women rural mobile crisis staff audit debt
tables harvest lantern goats hotline desks cooperative disclosure tailors fishing drought kiosks
borrowers volunteers repayment interest portfolio branch village solar dairy wool monsoon credit
members association survey board policy ethics complaints""".split()
WORDS += sorted({"".join(random.Random(i).choices("bdklmnprst", k=3)) + "a" for i in range(80)})  # made up
ODD = ["covid19", "hello_world", "the", "and", "of", "Ærø", "naïve", "Straße", "STRASSE", "KELVIN", "\u212aelvin",
       "İstanbul", "Pricing", "LOANS"]
TAGS = ["client protection", "transparency", "pricing", "crisis", "staff", "insurance", "gender", "rural"]
COUNTRIES = ["Peru", "Kenya", "Chile"]
ORGS = ["AMFA", "FUNDESER", "AccessBank", "Kiva"]
AUTHORS = ["maggie", "amelia", "laura"]


@st.composite
def corpora(draw):
    """Hypothesis draws the shape (size, how many words and signals) and a seed; ``random.Random``
    the rest (drawing every word and tag through Hypothesis took most of the test's time)."""
    n = draw(st.integers(2, 24))
    rng = random.Random(draw(st.integers(0, 2**32)))
    vocabulary = WORDS[:draw(st.integers(3, len(WORDS)))] + ODD  # few words: many shared ones
    most_words, most_signals = draw(st.integers(0, 100)), draw(st.integers(0, 4))
    names = [f"p{i:02d}" for i in range(n)]

    def some(items, most):
        return rng.sample(items, rng.randint(0, min(most, len(items))))

    pubs = []
    for i, name in enumerate(names):
        refs = [r for r in some(names, 2) if r != name]
        if rng.random() < 0.1:
            refs.append({"title": "Elsewhere", "url": "https://example.org/x"})
        pubs.append(pub(
            name, " ".join(rng.choices(vocabulary, k=rng.randint(1, 3))),
            " ".join(rng.choices(vocabulary, k=rng.randint(0, most_words))),
            day=rng.randint(0, 60), tags=some(TAGS, most_signals), countries=some(COUNTRIES, most_signals),
            orgs=some(ORGS, most_signals), authors=some(AUTHORS, 2), related=refs,
            draft=rng.random() < 0.12, folder=rng.choice([NOTES, NOTES, CASES]),
        ))
    return pubs


@st.composite
def options(draw):
    weights = dict(DEFAULT_WEIGHTS)
    if draw(st.booleans()):
        weights[draw(st.sampled_from(sorted(weights)))] = draw(st.sampled_from([0.0, 0.06, 2.0]))
    return RelatedOptions(count=draw(st.integers(0, 5)), min_score=draw(st.sampled_from([0.0, 0.05, 0.2, 0.5, 1.0])),
                          newer=draw(st.booleans()), weights=weights,
                          max_share=draw(st.sampled_from([0.1, 0.2, 0.5, 1.0])))


@st.composite
def machinery(draw):
    return {"BLOCK": draw(st.sampled_from([1, 2, 3, 512])), "WORKERS": draw(st.sampled_from([1, 2])),
            "NOMINATE_LIMIT": draw(st.sampled_from([1, 2, 3, 200])), "helper": draw(st.booleans())}


def comparable(lists):
    """URL -> [(entry, curated, external)] and URL -> [score]."""
    entries = {url: [(e.source_path or e.url, e.curated, e.external) for e in found] for url, found in lists.items()}
    scores = {url: [e.score for e in found] for url, found in lists.items()}
    return entries, scores


def fast_lists(corpus, opts, shown, how, now):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index, "BLOCK", how["BLOCK"])
        patch.setattr(index, "WORKERS", how["WORKERS"])
        patch.setattr(index, "NOMINATE_LIMIT", how["NOMINATE_LIMIT"])
        if how["helper"]:  # a second interpreter counts the last publications' words
            patch.setattr(words, "HELPER_FROM", 2)
            patch.setattr(words, "usable_cpus", lambda: 2)
        return build_related(corpus, now, opts, shown=shown).lists


def assert_same(corpus, opts, how, serve=False, now=NOW):
    shown = corpus if serve else None  # `mkdocs serve` shows the drafts too
    expected_entries, expected_scores = comparable(related_lists(corpus, now, opts, shown=shown))
    got_entries, got_scores = comparable(fast_lists(corpus, opts, shown, how, now))
    assert got_entries == expected_entries
    assert got_scores.keys() == expected_scores.keys()
    for url, scores in expected_scores.items():
        assert got_scores[url] == [s if s is None else pytest.approx(s, abs=1e-7) for s in scores], url
    return expected_entries


@settings(max_examples=80, deadline=None)
@given(corpora(), options(), machinery(), st.booleans())
def test_the_fast_index_gives_the_reference_lists(corpus, opts, how, serve):
    assert_same(corpus, opts, how, serve)


def test_a_larger_corpus_with_every_kind_of_machinery():
    """One corpus large enough for long lists, many ties, publications with more than ``TERMS_KEPT``
    feature words, and every part of the fast path at once."""
    rng = random.Random(5)
    made_up = sorted({"".join(rng.choices("bdklmnprst", k=3)) + rng.choice(["a", "o", "ine"]) for _ in range(600)})
    topics = [rng.sample(made_up, 30) for _ in range(20)]
    corpus = []
    for i in range(120):
        topic = rng.choice(topics)
        corpus.append(pub(
            f"q{i:03d}", " ".join(rng.choices(topic, k=3)), " ".join(rng.choices(topic + WORDS + ODD, k=70)),
            day=rng.randint(0, 45), tags=rng.sample(TAGS, rng.randint(0, 3)),
            countries=rng.sample(COUNTRIES, rng.randint(0, 1)), orgs=rng.sample(ORGS, rng.randint(0, 1)),
            authors=rng.sample(AUTHORS, 1), related=[f"q{rng.randrange(i):03d}"] if i % 5 == 4 else []))
    opts = RelatedOptions(count=5, min_score=0.1, max_share=0.3)
    found = assert_same(corpus, opts, {"BLOCK": 16, "WORKERS": 2, "NOMINATE_LIMIT": 10, "helper": True})
    assert sum(map(len, found.values())) > 400  # long lists: the comparison is not vacuous


def test_the_young_site_of_issue_16():
    """Five publications, where the ``count + 1`` floor decides what counts."""
    how = {"BLOCK": 2, "WORKERS": 2, "NOMINATE_LIMIT": 2, "helper": False}
    found = assert_same(YOUNG_SITE, RelatedOptions(), how, now=DAY0 + timedelta(days=365))
    assert ("case_studies/improving-transparency.md", False, False) in found["notes/complaints-hotline/"]
