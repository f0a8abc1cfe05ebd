"""Tiny sites built with the real CLI: collections, assets, drafts, errors."""

import re

import lxml.html

from sites import NOTE, build, write_site



def note(title="A note", date="2012-05-24", extra="", body="Body text."):
    return NOTE.format(title=title, date=date, extra=extra, body=body)


def problem_lines(output: str) -> list[str]:
    """The `path:line: field: ...` lines of a failed build's problem list."""
    return [line.strip() for line in output.splitlines() if re.match(r"\s+\S+\.md:\d+: ", line)]


def test_assets_beside_a_publication_are_published_and_links_work(tmp_path):
    root = write_site(tmp_path, {
        "case_studies/amfa/index.md": note(
            "Bundle", extra="download: report.pdf\nimage: chart.png",
            body="![Chart](chart.png)\n\nRead [the report](report.pdf)."),
        "case_studies/amfa/chart.png": b"\x89PNG\r\n\x1a\n",
        "case_studies/amfa/report.pdf": b"%PDF-1.4\n%%EOF\n",
    })
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    page_dir = result.site / "case-studies" / "amfa"
    doc = lxml.html.fromstring((page_dir / "index.html").read_bytes())
    body = doc.cssselect(".sn-publication__body")[0]
    img = body.cssselect("img")[0].get("src")
    link = body.cssselect("a")[0].get("href")
    download = doc.cssselect(".sn-download a")[0].get("href")
    for href in (img, link, download):
        assert (page_dir / href).resolve().is_file(), href
    assert (page_dir / download).resolve() == (page_dir / "report.pdf").resolve()


def test_a_third_collection_is_configuration_only(tmp_path):
    root = write_site(tmp_path, {"posts/hello.md": note("Hello post")}, plugin_config="""\
          collections:
            - {key: notes, folder: notes, prefix: notes, title: Smart Notes, label: Smart Note}
            - {key: posts, folder: posts, prefix: blog, title: Blog posts, label: Blog post}
    """)
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    doc = lxml.html.fromstring((result.site / "blog/hello/index.html").read_bytes())
    assert doc.cssselect(".sn-kind")[0].text_content() == "Blog post"
    listing = lxml.html.fromstring((result.site / "blog/index.html").read_bytes())
    assert listing.cssselect("h1")[0].text_content() == "Blog posts"
    assert [a.text_content() for a in listing.cssselect(".sn-list__title a")] == ["Hello post"]


def test_drafts_and_future_publications_are_left_out(tmp_path):
    root = write_site(tmp_path, {
        "notes/live.md": note("Live"),
        "notes/draft.md": note("Draft", extra="draft: true"),
        "notes/future.md": note("Future", date="2999-01-01"),
    })
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    assert (result.site / "notes/live/index.html").is_file()
    assert not (result.site / "notes/draft").exists()
    assert not (result.site / "notes/future").exists()
    listing = lxml.html.fromstring((result.site / "notes/index.html").read_bytes())
    assert [a.text_content() for a in listing.cssselect(".sn-list__title a")] == ["Live"]


def test_future_publication_is_built_when_now_is_set(tmp_path):
    root = write_site(tmp_path, {"notes/future.md": note("Future", date="2999-01-01")},
                      plugin_config="now: 2999-01-02\n")
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    assert (result.site / "notes/future/index.html").is_file()


def test_script_in_a_title_is_text(tmp_path):
    title = '"<script>window.pwned=1</script> & <b>bold</b>"'
    root = write_site(tmp_path, {"notes/x.md": note(title, extra="tags: ['<i>tag</i>']")})
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    for url in ("notes/x/index.html", "index.html", "notes/index.html"):
        doc = lxml.html.fromstring((result.site / url).read_bytes())
        scripts = [s for s in doc.iter("script") if "pwned" in (s.text or "")]
        assert all(s.get("type") == "application/ld+json" for s in scripts), url
        assert not doc.cssselect("article b, .sn-list b, article i"), url
    doc = lxml.html.fromstring((result.site / "notes/x/index.html").read_bytes())
    assert doc.cssselect("h1")[0].text_content() == "<script>window.pwned=1</script> & <b>bold</b>"


def test_five_mistakes_give_five_errors_and_a_failed_build(tmp_path):
    root = write_site(tmp_path, {"notes/bad.md": """\
        ---
        title: Five mistakes
        date: 24/05/2012
        authors: [magie-long]
        countries: [Azerbaijn]
        tgas: [transparency]
        draft: yes please
        ---
        Body.
        """})
    result = build(root)
    assert result.returncode != 0
    problems = problem_lines(result.output)
    assert len(problems) == 5, result.output
    lines = sorted(int(p.split(":")[1]) for p in problems)
    assert lines == [3, 4, 5, 6, 7]
    assert all(" — " in p for p in problems)


def test_problems_in_several_files_are_reported_in_one_run(tmp_path):
    root = write_site(tmp_path, {
        "notes/a.md": note("A", extra="countries: [Narnia]"),
        "case_studies/b.md": "---\ntitle: B\n---\nno date\n",
    })
    result = build(root)
    assert result.returncode != 0
    reported = {line.split(":")[0] for line in problem_lines(result.output)}
    assert {"notes/a.md", "case_studies/b.md"} <= reported


def test_unknown_field_stops_every_build(tmp_path):
    root = write_site(tmp_path, {"notes/x.md": note(extra="sumary: typo")})
    relaxed = build(root)
    assert relaxed.returncode != 0, relaxed.output
    assert "notes/x.md:5: sumary: unknown field 'sumary' — did you mean 'summary'?" in relaxed.output
    assert not (relaxed.site / "notes").exists()
    strict = build(root, "--strict")
    assert strict.returncode != 0


def test_two_publications_with_one_url_are_an_error(tmp_path):
    root = write_site(tmp_path, {
        "notes/one.md": note("One", extra="slug: same"),
        "notes/two.md": note("Two", extra="slug: same"),
    })
    result = build(root)
    assert result.returncode != 0
    assert "notes/one.md:5: slug: the URL /notes/same/ is also used by notes/two.md" in result.output
    assert "notes/two.md:5: slug: the URL /notes/same/ is also used by notes/one.md" in result.output


def test_tags_that_slugify_alike_are_an_error(tmp_path):
    root = write_site(tmp_path, {
        "notes/one.md": note("One", extra="tags: [C]"),
        "notes/two.md": note("Two", extra="tags: [C++]"),
    })
    result = build(root)
    assert result.returncode != 0
    assert "'C++' and 'C' would share the page /tags/c/" in result.output


def test_person_written_page_is_never_overwritten(tmp_path):
    root = write_site(tmp_path, {
        "notes/x.md": note("X"),
        "content/tags/index.md": "# Our own topics page\n",
    })
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    doc = lxml.html.fromstring((result.site / "tags/index.html").read_bytes())
    assert doc.cssselect("h1")[0].text_content().strip() == "Our own topics page"


def test_collection_index_lists_the_latest_and_links_its_years(tmp_path):
    files = {f"notes/n{i}.md": note(f"Note {i}", date=f"{2010 + i % 3}-01-{i + 1:02d}") for i in range(7)}
    root = write_site(tmp_path, files, plugin_config="listing_page_size: 3\n")
    result = build(root, "--strict")
    assert result.returncode == 0, result.output
    index = lxml.html.fromstring((result.site / "notes/index.html").read_bytes())
    assert [a.text_content() for a in index.cssselect(".sn-list__title a")] == ["Note 5", "Note 2", "Note 4"]
    assert [a.text_content() for a in index.cssselect("nav.sn-years a")] == ["2012", "2011", "2010"]
    year = lxml.html.fromstring((result.site / "notes/2010/index.html").read_bytes())
    assert [a.text_content() for a in year.cssselect(".sn-list__title a")] == ["Note 6", "Note 3", "Note 0"]
