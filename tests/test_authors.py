"""The authors registry: one fixture per case, the exact problems and the ids left unsure.

A registry problem is reported once, at its line; the ids it could not vouch
for are "unsure" (None: all of them), so publications naming them add no
"unknown author" of their own (issue 13, one error path).
"""

from pathlib import Path

import pytest

from smartnotes.content.authors import load_authors

ROOT = Path(__file__).parent / "fixtures"

CASES = {
    "yaml_broken": (None, [
        "authors/yaml_broken.yml:4: the authors registry is not valid YAML (while parsing a flow sequence;"
        " expected ',' or ']', but got ':') — fix the YAML: one 'id:' line per author, then indented 'name:'"
        " and 'role:' lines"]),
    "control_character": ({"eve"}, [
        "authors/control_character.yml:4: eve.name: the text holds the control character U+001B (ESC),"
        " which feeds cannot carry — delete it"]),
    "raw_control_character": (None, [
        "authors/raw_control_character.yml:4: the authors registry holds the control character U+0007 (BEL)"
        " — delete it"]),
    "id_twice": ({"maggie-long"}, [
        "authors/id_twice.yml:5: maggie-long: the id is written twice, on lines 1 and 5"
        " — keep one entry per author"]),
    "not_a_mapping": (None, [
        "authors/not_a_mapping.yml:1: the authors registry is not a mapping of ids"
        " — write 'maggie-long:' then indented 'name: Maggie Long'"]),
    "name_is_a_list": ({"eve"}, [
        "authors/name_is_a_list.yml:4: eve.name: the value is not a text — write the name as text after 'name: '"]),
    "id_invalid": ({"Eve Adams"}, [
        "authors/id_invalid.yml:3: Eve Adams: 'Eve Adams' is not a valid author id"
        " — use lowercase letters, digits and hyphens, such as 'maggie-long'"]),
    "not_utf8": (None, [
        "authors/not_utf8.yml:4: the authors registry is not UTF-8 (byte 0xe9) — save the file as UTF-8 in your"
        " editor"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_registry_problems(case):
    authors, problems, unsure = load_authors(ROOT / "authors" / f"{case}.yml", ROOT)
    expected_unsure, expected = CASES[case]
    assert [str(p) for p in problems] == expected
    assert unsure == (None if expected_unsure is None else frozenset(expected_unsure))
    if unsure is not None:
        assert not set(authors) & unsure
        assert ("maggie-long" in authors) == ("maggie-long" not in unsure)


def test_a_publication_naming_an_unsure_author_adds_no_problem():
    from smartnotes.content.frontmatter import split_front_matter
    from smartnotes.content.fields import FieldReader
    from smartnotes.content.settings import DEFAULT_COLLECTIONS, SiteSettings

    raw = split_front_matter("---\ntitle: T\ndate: 2012-05-24\nauthors: [eve, nobody]\n---\nBody.\n")
    for unsure, expected in ((None, []), (frozenset({"eve"}), ["unknown author 'nobody'"])):
        reader = FieldReader("notes/t.md", ROOT / "t.md", raw, DEFAULT_COLLECTIONS[0], SiteSettings(root=ROOT), {},
                             unsure)
        reader.publication()
        assert [p.message for p in reader.problems] == expected


def test_the_list_form_reads_as_the_mapping_form(tmp_path):
    """The browser editor's form of the registry ('authors:' then '- id:' records) gives the same authors."""
    mapping = tmp_path / "mapping.yml"
    mapping.write_text("maggie-long:\n  name: Maggie Long\n  url: https://example.org/maggie\n"
                       "ana-perez:\n  name: Ana Perez\n  role: Editor\n", encoding="utf-8")
    listed = load_authors(ROOT / "authors" / "list_form.yml", ROOT)
    assert listed == load_authors(mapping, tmp_path)
    assert listed[0]["ana-perez"].role == "Editor" and listed[2] == frozenset()


def test_the_list_form_has_the_same_checks_at_their_lines():
    authors, problems, unsure = load_authors(ROOT / "authors" / "list_problems.yml", ROOT)
    assert [str(p) for p in sorted(problems)] == [
        "authors/list_problems.yml:4: the entry has no id — start the entry with '- id: maggie-long', then"
        " 'name: Maggie Long'",
        "authors/list_problems.yml:5: Eve Adams: 'Eve Adams' is not a valid author id — use lowercase letters,"
        " digits and hyphens, such as 'maggie-long'",
        "authors/list_problems.yml:8: bo.name: the value is not a text — write the name as text after 'name: '",
        "authors/list_problems.yml:9: maggie-long: the id is written twice, on lines 2 and 9 — keep one entry per"
        " author",
        "authors/list_problems.yml:11: cy.name: the author has no name — add a 'name:' line to the entry, under"
        " its 'id:'",
        "authors/list_problems.yml:14: di.colour: unknown field 'colour' — authors have 'name', 'role', 'url' and"
        " 'avatar'",
        "authors/list_problems.yml:15: editor: the registry lists its authors under 'authors:', so this key is not"
        " read — move the author into the 'authors:' list as '- id: editor'",
    ]
    assert set(authors) == {"di"}
    assert unsure == frozenset({"Eve Adams", "bo", "maggie-long", "cy"})


def test_the_import_appends_new_authors_in_the_registry_s_form():
    from smartnotes.content.authors import appended_entries
    import yaml

    listed = (ROOT / "authors" / "list_form.yml").read_text(encoding="utf-8")
    grown = listed + appended_entries(listed, {"alex-sample": "Alex Sample"}, "Added by the WordPress import")
    assert grown.startswith(listed)
    assert [a["id"] for a in yaml.safe_load(grown)["authors"]] == ["maggie-long", "ana-perez", "alex-sample"]
    mapping = "maggie-long:\n  name: Maggie Long"
    grown = mapping + appended_entries(mapping, {"alex-sample": "Alex Sample"}, "Added")
    assert yaml.safe_load(grown) == {"maggie-long": {"name": "Maggie Long"}, "alex-sample": {"name": "Alex Sample"}}
    with pytest.raises(ValueError, match="add alex-sample to it by hand"):
        appended_entries(listed + "editor: x\n", {"alex-sample": "Alex Sample"}, "Added")
