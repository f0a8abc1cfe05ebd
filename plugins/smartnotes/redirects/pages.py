"""Old addresses keep working: a redirect for every ``aliases:`` entry and every old feed address.

For each alias that is a path (``/2012/05/24/x/``), a small page at that
path: a meta refresh, ``rel=canonical`` to the new page, and a link for
people and tools that do not follow the refresh. For every alias, queries
(``/?p=12``) included, a rule in ``_redirects`` (Netlify, Cloudflare Pages:
real 301s; the permalink pattern ``/:year/:month/:day/:slug/`` of the
largest collection is one placeholder rule, so a big archive stays within
Cloudflare's 2,000 static and 100 dynamic rules) and a line in an nginx
``map`` (``redirects.nginx.conf``). Old feed addresses (``/feed/``,
``/category/…/feed/``) lead to the new feeds (``redirects_feeds``).

Every path claims its address (catalog/addresses.py): an alias that is a
real page's or another alias's address is a problem at the ``aliases:`` line.
"""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import urlsplit
from dataclasses import dataclass

from ..catalog.addresses import Claim
from ..catalog.listings import Catalog
from ..content.options import option
from ..content.problems import Problem
from ..content.settings import SiteSettings
from ..runtime.output import SiteWriter

REDIRECTS_PATH = "_redirects"
NGINX_PATH = "redirects.nginx.conf"
CLOUDFLARE_STATIC, CLOUDFLARE_DYNAMIC = 2000, 100
DATED = re.compile(r"^/\d{4}/\d{2}/\d{2}/(?P<slug>[^/]+)/$")
# A short link on the site's root (WordPress's `/?p=12`, `/?page_id=5`): one key, one plain value.
SHORT_LINK = re.compile(r"^/\?(?P<key>[A-Za-z_][A-Za-z0-9_-]*)=(?P<value>[A-Za-z0-9_-]+)$")
HOSTS = ("any", "netlify")
PLACEHOLDER = "/:year/:month/:day/:slug/"


def _feeds(value, done) -> tuple[dict[str, str], list[str]]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and k.startswith("/") and isinstance(v, str)
                                              for k, v in value.items()):
        return {}, [f"{value!r} is not a mapping of old paths to new ones — write e.g. '/feed/: feed.xml'"]
    return dict(value), []


@dataclass(frozen=True)
class RedirectOptions:
    enabled: bool = option(True, "Write a redirect page, a `_redirects` rule and an nginx map line for every "
                                 "publication's `aliases:` and for the old feed addresses.")
    feeds: dict = option({"/feed/": "feed.xml"}, "Old feed addresses and the new feeds they lead to "
                                                 "('/category/smart-notes/feed/': notes/feed.xml).", check=_feeds)
    host: str = option("any", "The host that reads `_redirects`. `any`: rules Netlify and Cloudflare Pages both "
                              "read (on Netlify the redirect pages answer first, with a refresh instead of a 301). "
                              "`netlify`: every rule forced with `!`, short links such as `/?p=12` matched by "
                              "their query (Cloudflare Pages ignores both).", choices=HOSTS)


@dataclass(frozen=True)
class Redirect:
    old: str  # site-relative old address, from its "/" ("/2012/05/24/x/", "/?p=12", "/feed/")
    new: str  # site-relative new address, no leading "/" ("notes/x/", "feed.xml")
    owner: str  # for messages
    source: str = ""
    line: int = 1

    @property
    def is_path(self) -> bool:
        return "?" not in self.old

    @property
    def short_link(self) -> re.Match | None:
        return SHORT_LINK.match(self.old)

    @property
    def stand_in(self) -> str:
        """The path that answers for a short link: ``/?p=12`` -> ``/p/12/``, a host that can't match queries
        reaches it from the home page; for any other query alias, nothing (nginx's map is its only rule)."""
        match = self.short_link
        return f"/{match['key']}/{match['value']}/" if match else ""

    @property
    def from_path(self) -> str:
        """The path a redirect page and a host's path rule answer at ("" for a query nginx alone matches)."""
        return self.old if self.is_path else self.stand_in

    @property
    def page_path(self) -> str:
        """The file the redirect page is written at."""
        path = (self.stand_in or self.old).lstrip("/")
        if not path or path.endswith("/"):
            return path + "index.html"
        return path if "." in posixpath.basename(path) else path + "/index.html"


def redirects_of(catalog: Catalog, options: RedirectOptions) -> list[Redirect]:
    found = []
    for publication in catalog.publications:
        for alias in publication.aliases:
            found.append(Redirect(alias, publication.url, f"the old address {alias} of {publication.source_path}",
                                  publication.source_path, publication.line_of("aliases")))
    for old, new in options.feeds.items():
        found.append(Redirect(old, new.lstrip("/"), f"the old feed address {old}"))
    return found


def redirect_page(redirect: Redirect, settings: SiteSettings) -> str:
    here = posixpath.dirname(redirect.page_path)
    target = posixpath.relpath(redirect.new or ".", here or ".")
    if redirect.new.endswith("/") and not target.endswith("/"):
        target += "/"
    canonical = html.escape(settings.absolute(redirect.new) if settings.site_url else target)
    target = html.escape(target)
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved</title>\n"
            f"<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n"
            f"<link rel=\"canonical\" href=\"{canonical}\">\n<meta name=\"robots\" content=\"noindex\">\n"
            f"</head>\n<body>\n<p>This page has moved to <a href=\"{target}\">{canonical}</a>.</p>\n</body>\n</html>\n")


def _base_path(settings: SiteSettings) -> str:
    return urlsplit(settings.site_url).path.rstrip("/") if settings.site_url else ""


def redirects_file(redirects: list[Redirect], settings: SiteSettings, host: str = "any"
                   ) -> tuple[str, list[Problem]]:
    """``_redirects`` within Cloudflare's limits: the dated permalinks of one collection as one rule.

    Both hosts read a line ``from to 301``. Netlify serves a file that exists at ``from`` (our redirect
    page) before any rule unless the status is forced (``301!``), and it can match a query
    (``/ p=:p``); Cloudflare Pages always applies its rules first, and ignores a line with either. So
    ``host: netlify`` forces every rule and adds the short links' query rules, and ``any`` writes
    what both read.
    """
    base, status = _base_path(settings), "301!" if host == "netlify" else "301"
    paths = [r for r in redirects if r.from_path]
    by_prefix: dict[str, list[Redirect]] = {}
    for r in paths:
        match = DATED.match(r.old)
        if match and r.new.rstrip("/").split("/")[-1] == match.group("slug") and r.new.count("/") == 2:
            by_prefix.setdefault(r.new.split("/")[0], []).append(r)
    lines = ["# Written by the build (redirects/): old addresses to new ones, "
             + ("for Netlify (redirects_host: netlify)." if host == "netlify" else "Netlify and Cloudflare Pages.")]
    covered: set[Redirect] = set()
    if by_prefix:
        prefix, group = max(by_prefix.items(), key=lambda kv: len(kv[1]))
        covered = set(group)
    static = [r for r in paths if r not in covered]
    for r in static:
        lines.append(f"{base}{r.from_path} {base}/{r.new} {status}")
    if host == "netlify":  # `/?p=12` -> `/p/12/` -> the new page
        for key in short_link_keys(redirects):
            lines.append(f"{base}/ {key}=:value {base}/{key}/:value/ {status}")
    if covered:
        lines.append(f"{base}{PLACEHOLDER} {base}/{prefix}/:slug/ {status}")
    problems = []
    if len(static) > CLOUDFLARE_STATIC:
        problems.append(Problem(REDIRECTS_PATH, 1, "", f"{len(static)} redirect rules, more than Cloudflare Pages "
                                f"reads ({CLOUDFLARE_STATIC})", "the redirect pages still work; on Cloudflare, "
                                "move old addresses into one permalink pattern or use Bulk Redirects", "warning"))
    return "\n".join(lines) + "\n", problems


def short_link_keys(redirects: list[Redirect]) -> list[str]:
    """The query keys of the short links (``p`` of ``/?p=12``), for the home page and Netlify's rules."""
    return sorted({r.short_link["key"] for r in redirects if r.short_link})


def nginx_map(redirects: list[Redirect], settings: SiteSettings) -> str:
    base = _base_path(settings)
    lines = ["# Written by the build (redirects/): include in nginx's http block, then in the server block:",
             "#   if ($smartnotes_redirect) { return 301 $smartnotes_redirect; }",
             "map $request_uri $smartnotes_redirect {", "    default \"\";"]
    for r in redirects:
        lines.append(f"    \"{base}{r.old}\" \"{base}/{r.new}\";")
    lines.append("}")
    return "\n".join(lines) + "\n"


class RedirectsStep:
    """The build's redirects step: claims its paths, then writes them after the pages."""

    def __init__(self, settings: SiteSettings, options: RedirectOptions):
        self.settings, self.options = settings, options

    def claims(self, catalog: Catalog) -> list[Claim]:
        if not self.options.enabled:
            return []
        out = []
        for r in redirects_of(catalog, self.options):
            fix = ("remove the alias, or the other address" if r.source
                   else "change redirects_feeds under plugins.smartnotes in mkdocs.yml")
            # A query alias nginx alone matches has no file; its pseudo path still finds two publications
            # with one old address.
            path = r.page_path if r.from_path else r.old.lstrip("/")
            out.append(Claim(path, r.owner, source=r.source, line=r.line, field="aliases" if r.source else "",
                             fix=fix))
        out.append(Claim(REDIRECTS_PATH, "the generated _redirects file", yields=True))
        out.append(Claim(NGINX_PATH, "the generated nginx redirect map"))
        return out

    def short_link_keys(self, catalog: Catalog) -> list[str]:
        """What the home page's script sends on (``/?p=12`` to ``p/12/``) for hosts that can't match a query."""
        return short_link_keys(redirects_of(catalog, self.options)) if self.options.enabled else []

    def write(self, catalog: Catalog, writer: SiteWriter) -> list[Problem]:
        if not self.options.enabled:
            return []
        redirects = redirects_of(catalog, self.options)
        by = "redirects"
        for r in redirects:
            if r.from_path:
                writer.write(r.page_path, redirect_page(r, self.settings), by)
        text, problems = redirects_file(redirects, self.settings, self.options.host)
        if REDIRECTS_PATH not in writer.reserved:  # a `_redirects` written by a person wins
            writer.write(REDIRECTS_PATH, text, by)
        writer.write(NGINX_PATH, nginx_map(redirects, self.settings), by)
        return problems

