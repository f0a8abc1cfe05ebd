"""The same site builds with ProperDocs, the maintained continuation of MkDocs 1.x."""

import lxml.html

from sites import REPO, build

PAGES = [
    "notes/supporting-members-client-protection-amfa/index.html",
    "case-studies/improving-sector-transparency-amfa/index.html",
    "notes/index.html",
    "tags/client-protection/index.html",
    "index.html",
]


def article(path):
    doc = lxml.html.fromstring(path.read_bytes())
    node = doc.cssselect("article.md-content__inner")[0]
    return lxml.html.tostring(node, encoding="unicode")


def test_properdocs_builds_the_same_publication_pages(sample_site, tmp_path):
    result = build(REPO, "--strict", engine="properdocs", site=tmp_path / "site")
    assert result.returncode == 0, result.output
    for rel in PAGES:
        assert article(result.site / rel) == article(sample_site / rel), rel
