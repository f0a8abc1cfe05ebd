""""Have you read?" in the core: a corpus whose neighbours are known by
construction, the reference errors (exact messages), and properties."""

from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartnotes.content.model import Author, Publication, RelatedRef, Term
from smartnotes.related import index as related, words as related_words
from smartnotes.build import ConfigError, read_plugin_options
from smartnotes.related.index import RelatedOptions
from smartnotes.related.count import count_texts
from smartnotes.related.links import backlinks_not_in, build_related
from smartnotes.related.words import count_words
from smartnotes.content.settings import DEFAULT_COLLECTIONS

NOTES, CASES = DEFAULT_COLLECTIONS
NOW = datetime(2024, 1, 1, tzinfo=timezone.utc)
DAY0 = datetime(2020, 1, 1, tzinfo=timezone.utc)


def pub(name: str, title: str, body: str = "", *, day: int = 0, tags=(), countries=(), orgs=(), authors=(),
        related=(), draft=False, folder=NOTES) -> Publication:
    return Publication(
        source_path=f"{folder.folder}/{name}.md", collection=folder, slug=name, title=title,
        date=DAY0 + timedelta(days=day), body=body, summary="",
        terms=(*(Term("tag", t, t.replace(" ", "-")) for t in tags), *(Term("country", c, c.lower()) for c in countries),
               *(Term("organization", o, o.lower()) for o in orgs)),
        authors=tuple(Author(a, a.title()) for a in authors),
        related=tuple(RelatedRef(line=10 + i, target=r) if isinstance(r, str) else RelatedRef(line=10 + i, **r)
                      for i, r in enumerate(related)),
        draft=draft,
    )


# Ten notes. "client protection" is on seven of them: a signal that common
# must relate nothing. Pairs share exactly one thing by construction.
CORPUS = [
    pub("a1", "Grievance desks in Lusaka", "Borrowers queue patiently beside kiosks.", day=1,
        tags=["client protection", "grievance redress"]),
    pub("a2", "Hotline audits for Quito", "Volunteers phone anonymously on Tuesdays.", day=2,
        tags=["client protection", "grievance redress"]),
    pub("b1", "Harvest loans around Cusco", "Farmers repay once potatoes ripen.", day=3,
        tags=["client protection"], countries=["Peru"]),
    pub("b2", "Tailors borrowing in Arequipa", "Seamstresses expand workshops gradually.", day=4, countries=["Peru"]),
    pub("c1", "Pricing disclosure", "Annualised percentage rates, pricing transparency and comparison tables.", day=5),
    pub("c2", "Transparent pricing tables",
        "Comparison tables show annualised percentage rates: pricing transparency matters.", day=6),
    pub("d1", "Sheep shearing cooperatives", "Woolly fleeces dry slowly outdoors.", day=7, tags=["client protection"]),
    pub("e1", "Solar lanterns leasing", "Villagers rent photovoltaic lamps monthly.", day=8, tags=["client protection"]),
    pub("e2", "Dairy goats insurance", "Herders insure milking animals against drought.", day=9,
        tags=["client protection"]),
    pub("e3", "Fishing boat repairs", "Captains mend hulls before monsoon.", day=10, tags=["client protection"]),
]


def lists(result) -> dict[str, list[str]]:
    return {url.split("/")[1]: [e.url.split("/")[1] for e in entries] for url, entries in result.lists.items()}


def test_neighbours_known_by_construction():
    got = lists(build_related(CORPUS, NOW))
    assert got == {
        "a1": ["a2"], "a2": ["a1"],  # a shared rare tag
        "b1": ["b2"], "b2": ["b1"],  # a shared country
        "c1": ["c2"], "c2": ["c1"],  # similar text, no tags at all
        "d1": [], "e1": [], "e2": [], "e3": [],  # nothing in common but an everywhere tag: no filler
    }


# The sample site, four publications, and a new note on AMFA (issue 16): a fifth of five is one
# publication, yet the organisation the new note shares with the case study must count.
YOUNG_SITE = [
    pub("supporting-members", "Supporting members to adopt client protection", "Peer reviews of codes.", day=144,
        tags=["client protection", "networks"], countries=["Azerbaijan"], orgs=["AMFA"], authors=["maggie"]),
    pub("improving-transparency", "Improving sector transparency", "Publishing interest rates.", day=121,
        tags=["transparency"], countries=["Azerbaijan"], orgs=["AMFA"], authors=["placeholder"], folder=CASES),
    pub("hiring-staff", "Hiring staff with disabilities", "Ramps and recruiting.", day=105,
        tags=["disabilities"], countries=["Azerbaijan"], orgs=["AccessBank"], authors=["placeholder"]),
    pub("responding-to-a-crisis", "Responding to a crisis", "Liquidity during floods.", day=79,
        tags=["crisis response"], orgs=["FUNDESER"], authors=["placeholder"]),
    pub("complaints-hotline", "A complaints hotline for borrowers", "Calls answered within a day.", day=200,
        countries=["Azerbaijan"], orgs=["AMFA"], authors=["laura"]),
]


def test_a_young_site_finds_the_obvious_neighbour():
    got = lists(build_related(YOUNG_SITE, NOW))
    # AMFA (3 of 5) and Azerbaijan (4 of 5): more than a fifth, but few enough to fit in each other's lists.
    assert "improving-transparency" in got["complaints-hotline"]
    assert "complaints-hotline" in got["improving-transparency"]
    assert "responding-to-a-crisis" not in got["complaints-hotline"]  # shares nothing with it
    # The same group on a large site: the share alone decides, and AMFA still counts.
    fillers = [pub(f"f{i:02d}", f"Filler {i}", day=i) for i in range(20)]
    assert "improving-transparency" in lists(build_related(YOUNG_SITE + fillers, NOW))["complaints-hotline"]


def test_common_signal_counts_when_it_is_rare_enough():
    # With max_share 1.0 the everywhere tag counts again (a little): the loners now find each other.
    got = lists(build_related(CORPUS, NOW, RelatedOptions(max_share=1.0, min_score=0.01)))
    assert got["d1"] and set(got["d1"]) <= {"a1", "a2", "b1", "e1", "e2", "e3"}


def test_weights_order_the_signals():
    x = pub("x", "Xylophone", day=5, tags=["rare tag"], countries=["Chile"])
    y = pub("y", "Yodel", day=1, tags=["rare tag"])
    z = pub("z", "Zither", day=1, countries=["Chile"])
    fillers = [pub(f"f{i}", f"Filler {w}", day=1) for i, w in enumerate(["alpha", "beta", "gamma", "delta"])]
    corpus = [x, y, z, *fillers]
    assert lists(build_related(corpus, NOW))["x"] == ["y", "z"]  # tag 1.0 beats country 0.5
    heavier = read_plugin_options({"related_weights": {"country": 2.0}})["related_"]
    assert lists(build_related(corpus, NOW, heavier))["x"] == ["z", "y"]


def test_ties_go_to_the_newer_then_the_title():
    x = pub("x", "Xylophone", day=5, tags=["shared"])
    corpus = [x, pub("old", "Banjo", day=1, tags=["shared"]), pub("new", "Cello", day=3, tags=["shared"]),
              pub("same-day", "Accordion", day=3, tags=["shared"]),
              *[pub(f"f{i}", f"Filler {w}", day=1) for i, w in enumerate(["alpha", "beta", "gamma", "delta",
                                                                            "epsilon", "zeta", "eta", "theta",
                                                                            "iota", "kappa", "lambda"])]]
    assert lists(build_related(corpus, NOW, RelatedOptions(max_share=0.5)))["x"] == ["same-day", "new", "old"]


def test_older_publications_only_when_newer_is_off():
    got = lists(build_related(CORPUS, NOW, RelatedOptions(newer=False)))
    assert got["a1"] == [] and got["a2"] == ["a1"]


def test_curated_first_in_order_then_filled_without_duplicates():
    a1 = pub("a1", "Grievance desks in Lusaka", "Borrowers queue patiently beside kiosks.", day=1,
             tags=["client protection", "grievance redress"],
             related=["e3", "../notes/a2.md", {"title": "Elsewhere", "url": "https://example.org/x"}])
    result = build_related([a1, *CORPUS[1:]], NOW, RelatedOptions(count=4))
    entries = result.lists["notes/a1/"]
    assert [(e.title, e.curated, e.external) for e in entries] == [
        ("Fishing boat repairs", True, False), ("Hotline audits for Quito", True, False),
        ("Elsewhere", True, True),
    ]  # a2 is curated, so it is not suggested again; nothing else scores enough
    assert [e.url for e in entries] == ["notes/e3/", "notes/a2/", "https://example.org/x"]
    assert [e.title for e in result.backlinks["notes/a2/"]] == ["Grievance desks in Lusaka"]


def test_a_backlink_may_be_suggested_and_then_leaves_referenced_in():
    a1 = pub("a1", "Grievance desks in Lusaka", day=1, tags=["grievance redress"], related=["e3"])
    e3 = pub("e3", "Fishing boat repairs", day=10, tags=["grievance redress"])
    corpus = [a1, e3, *CORPUS[2:9]]
    result = build_related(corpus, NOW)
    assert lists(result)["e3"] == ["a1"]
    assert [e.title for e in result.backlinks["notes/e3/"]] == ["Grievance desks in Lusaka"]
    assert backlinks_not_in(result.backlinks["notes/e3/"], result.lists["notes/e3/"]) == []
    assert lists(build_related(corpus, NOW, RelatedOptions(backlinks=False)))["e3"] == ["a1"]


REFERENCE_ERRORS = [
    ("notes/grievance-desk.md", "notes/x.md:10: related: 'notes/grievance-desk.md' is not a publication"
                                " — did you mean 'notes/grievance-desks.md'?"),
    ("notes/nothing-like-it.md", "notes/x.md:10: related: 'notes/nothing-like-it.md' is not a publication — write a"
                                 " path such as 'notes/other.md' (from the project root or this file), a slug, or"
                                 " '{title: ..., url: https://...}'"),
    ("x", "notes/x.md:10: related: 'x' is this publication itself — remove the entry: list other publications"),
    ("notes/x.md", "notes/x.md:10: related: 'notes/x.md' is this publication itself"
                   " — remove the entry: list other publications"),
    ("notes/unfinished.md", "notes/x.md:10: related: 'notes/unfinished.md' is a draft"
                            " — publish it first (remove 'draft: true') or remove the entry"),
    ("scheduled", "notes/x.md:10: related: 'scheduled' is not published yet (dated 2030-01-01)"
                  " — remove the entry until that date, or link something already published"),
    ("twin", "notes/x.md:10: related: 'twin' is the slug of several publications (case_studies/twin.md,"
             " notes/twin.md) — write the path of the one you mean, such as 'notes/other.md'"),
]


def _reference_corpus(*refs):
    x = pub("x", "Subject under scrutiny", day=3, related=refs)
    return [
        x, pub("grievance-desks", "Grievance desks", day=1), pub("unfinished", "Unfinished", day=1, draft=True),
        Publication("notes/scheduled.md", NOTES, "scheduled", "Scheduled", datetime(2030, 1, 1, tzinfo=timezone.utc),
                    ""),
        pub("twin", "Twin leaflet", day=1), pub("twin", "Twin booklet", day=1, folder=CASES),
    ]


@pytest.mark.parametrize("ref, message", REFERENCE_ERRORS, ids=[r for r, _ in REFERENCE_ERRORS])
def test_reference_errors(ref, message):
    result = build_related(_reference_corpus(ref), NOW)
    assert [str(p) for p in result.problems] == [message]
    assert result.lists["notes/x/"] == ()  # the bad entry is left out, never guessed


def test_listed_twice_is_an_error():
    result = build_related(_reference_corpus("grievance-desks", "notes/grievance-desks.md"), NOW)
    assert [str(p) for p in result.problems] == [
        "notes/x.md:11: related: 'notes/grievance-desks.md' is listed twice — remove one of the two entries"]


@pytest.mark.parametrize("ref", ["grievance-desks", "notes/grievance-desks.md", "grievance-desks.md",
                                 "../notes/grievance-desks.md", "/notes/grievance-desks/"])
def test_reference_forms(ref):
    result = build_related(_reference_corpus(ref), NOW)
    assert result.problems == []
    assert [e.url for e in result.lists["notes/x/"]] == ["notes/grievance-desks/"]


def test_drafts_are_checked_only_for_what_is_always_wrong():
    # A draft may link a draft (both unpublished); a typo is wrong whenever.
    draft = pub("d", "Draft", day=1, draft=True, related=["unfinished", "nope-nothing-here"])
    result = build_related([*_reference_corpus(), draft], NOW)
    assert [p.message for p in result.problems] == ["'nope-nothing-here' is not a publication"]
    assert "notes/d/" not in result.lists


WHERE = "mkdocs.yml: plugins.smartnotes."


@pytest.mark.parametrize("config, message", [
    ({"related_weights": {"tags": 1}}, "related_weights: 'tags' is not one of 'tag', 'country', 'organization',"
                                       " 'author', 'collection', 'text' — did you mean 'tag'?"),
    ({"related_weights": {"tag": "high"}}, "related_weights: tag: 'high' is not a number >= 0 — write e.g. 'tag: 1.0'"),
    ({"related_count": -1}, "related_count: -1 is below 0 — e.g. 3"),
    ({"related_max_share": 0}, "related_max_share: 0 is not in (0, 1] — e.g. 0.5 ignores half-site signals"),
])
def test_bad_options(config, message):
    with pytest.raises(ConfigError) as info:
        read_plugin_options(config)
    assert str(info.value) == WHERE + message


# -- properties -----------------------------------------------------------------
WORDS = ["loans", "savings", "pricing", "grievance", "training", "insurance", "women", "rural", "mobile", "crisis",
         "staff", "audit", "debt", "tables"]
TAGS = ["client protection", "transparency", "pricing", "crisis", "staff", "insurance"]


@st.composite
def corpora(draw):
    n = draw(st.integers(2, 14))
    names = [f"p{i}" for i in range(n)]
    pubs = []
    for i, name in enumerate(names):
        refs = draw(st.lists(st.sampled_from(names), max_size=2, unique=True))
        pubs.append(pub(
            name, " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))),
            " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=30))),
            day=draw(st.integers(0, 2000)), tags=draw(st.lists(st.sampled_from(TAGS), max_size=3, unique=True)),
            countries=draw(st.lists(st.sampled_from(["Peru", "Kenya"]), max_size=1)),
            related=[r for r in refs if r != name], draft=draw(st.booleans()) and i % 3 == 0,
        ))
    return pubs


@settings(max_examples=60, deadline=None)
@given(corpora(), st.integers(0, 4), st.randoms(use_true_random=False))
def test_properties(corpus, count, rng):
    options = RelatedOptions(count=count, min_score=0.05, max_share=0.6)
    now = DAY0 + timedelta(days=1500)  # some publications are in the future
    result = build_related(corpus, now, options)
    published = {p.url for p in corpus if p.is_visible(now)}
    for url, entries in result.lists.items():
        urls = [e.url for e in entries]
        assert url not in urls  # never itself
        assert len(urls) == len(set(urls))  # no duplicates
        assert set(urls) <= published  # never a draft or a future publication
        suggested = [e for e in entries if not e.curated]
        assert len(suggested) <= max(0, count - (len(entries) - len(suggested)))  # at most N
        assert [e.score for e in suggested] == sorted((e.score for e in suggested), reverse=True)
    shuffled = list(corpus)
    rng.shuffle(shuffled)
    again = build_related(shuffled, now, options)
    assert again.lists == result.lists  # the same output whatever the input order
    assert sorted(again.problems) == sorted(result.problems)


def test_same_lists_twice_with_many_ties():
    rng = random.Random(7)
    corpus = [pub(f"p{i:02d}", f"Note {i}", " ".join(rng.choices(WORDS, k=20)), day=rng.randint(0, 9),
                  tags=rng.sample(TAGS, 2)) for i in range(40)]
    first = build_related(corpus, NOW, RelatedOptions(min_score=0.01, max_share=0.5))
    second = build_related(list(reversed(corpus)), NOW, RelatedOptions(min_score=0.01, max_share=0.5))
    assert first.lists == second.lists and any(first.lists.values())


def test_a_previewed_draft_gets_a_list_but_is_never_suggested():
    # `mkdocs serve` shows drafts: they get suggestions, and appear in nobody's.
    draft = pub("draft", "Grievance hotline draft", "Volunteers phone anonymously.", day=11, draft=True,
                tags=["grievance redress"])
    corpus = [*CORPUS, draft]
    result = build_related(corpus, NOW, shown=[p for p in corpus])
    assert lists(result)["draft"][:2] == ["a2", "a1"]
    assert all("notes/draft/" not in [e.url for e in entries] for entries in result.lists.values())


def _counted(publications):
    vocabulary, rows, ids, tfs = count_words(publications)
    return list(vocabulary.items()), rows.tolist(), ids.tolist(), tfs.tolist()


def _wordy_corpus() -> list[Publication]:
    rng = random.Random(3)
    extra = ["Ærø Straße ÉCOLE naïve", "KELVIN \u212a Kelvin", "İstanbul DİKKAT", "Hello_World 123abc"]
    return [pub(f"w{i:02d}", f"{rng.choice(extra)} note {i}", " ".join(rng.choices(WORDS + extra, k=30)), day=i)
            for i in range(30)]


def test_a_second_process_counts_the_same_words(monkeypatch):
    corpus = _wordy_corpus()
    alone = _counted(corpus)
    calls = []
    monkeypatch.setattr(related_words, "count_texts", lambda texts: calls.append(1) or count_texts(texts))
    monkeypatch.setattr(related_words, "HELPER_FROM", 2)
    monkeypatch.setattr(related_words, "usable_cpus", lambda: 2)
    assert _counted(corpus) == alone
    assert len(calls) == 1  # this process counted its share only: the helper's answer was used


def test_a_failed_second_process_is_counted_here(monkeypatch):
    corpus = _wordy_corpus()
    alone = _counted(corpus)
    monkeypatch.setattr(related_words, "HELPER_FROM", 2)
    monkeypatch.setattr(related_words, "usable_cpus", lambda: 2)
    monkeypatch.setattr(sys, "executable", "/bin/false")
    assert _counted(corpus) == alone
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    assert _counted(corpus) == alone


def test_blocks_on_two_threads_give_the_same_lists(monkeypatch):
    rng = random.Random(11)
    corpus = [pub(f"t{i:02d}", f"Note {i}", " ".join(rng.choices(WORDS, k=20)), day=rng.randint(0, 9),
                  tags=rng.sample(TAGS, 2)) for i in range(60)]
    options = RelatedOptions(min_score=0.01, max_share=0.5)
    monkeypatch.setattr(related, "BLOCK", 7)
    monkeypatch.setattr(related, "WORKERS", 1)
    one = build_related(corpus, NOW, options)
    monkeypatch.setattr(related, "WORKERS", 2)
    two = build_related(corpus, NOW, options)
    assert one.lists == two.lists and sum(map(len, one.lists.values())) > 60


def test_inputs_key_changes_with_what_the_lists_are_made_from_and_only_that():
    """The preview keeps the last lists while ``inputs_key`` is the same (build.py): it must change
    with every input of ``build_related`` (a title, a tag, a date, the lead of a body, what is
    shown, an author) and may stay for an edit past the lead or an author's new name, which
    change no list."""
    import dataclasses

    from smartnotes.related.links import inputs_key
    from smartnotes.related.words import TEXT_CHARS

    long = "Grievance desks and hotlines. " * (TEXT_CHARS // 20)
    corpus = [*CORPUS[1:], dataclasses.replace(CORPUS[0], body=long, authors=(Author("ana-ruiz", "Ana Ruiz"),))]
    key = inputs_key(corpus, NOW, corpus)

    def with_first(**change):
        changed = [dataclasses.replace(corpus[-1], **change), *corpus[:-1]]
        return inputs_key(changed, NOW, changed)

    assert inputs_key(list(reversed(corpus)), NOW, corpus) == key  # the order they come in
    assert with_first(body=long + " A sentence added at the end.") == key
    assert build_related(corpus, NOW).lists == build_related(
        [dataclasses.replace(corpus[-1], body=long + " A sentence added at the end."), *corpus[:-1]], NOW).lists
    for change in ({"body": "Seamstresses. " + long}, {"title": "Grievance desks in Ndola"},
                   {"terms": (Term("tag", "pricing", "pricing"),)}, {"date": DAY0 + timedelta(days=40)},
                   {"draft": True}, {"related": (RelatedRef(line=10, target="notes/a2.md"),)}):
        assert with_first(**change) != key, change
    assert inputs_key(corpus, NOW, corpus[:-1]) != key  # what is shown
    # An author's new name (the registry edited) is in no list: the lists are kept; another author is not
    renamed = tuple(dataclasses.replace(a, name=a.name + " Jr") for a in corpus[-1].authors)
    assert with_first(authors=renamed) == key
    assert build_related(corpus, NOW).lists == build_related(
        [dataclasses.replace(corpus[-1], authors=renamed), *corpus[:-1]], NOW).lists
    assert with_first(authors=(Author("someone-else", "Someone Else"),)) != key
    assert inputs_key(corpus, DAY0, corpus) != key  # what is visible (none yet)
