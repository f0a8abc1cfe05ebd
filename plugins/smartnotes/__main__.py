"""Commands for editors: ``smartnotes <command>`` (or ``python -m smartnotes <command>``; see the writing guide).

    smartnotes new notes "Title of the note"    start a publication (a draft, every field explained)
    smartnotes check [PATH...]                  every problem a build would report, without building
    smartnotes related notes/x.md               why "Have you read?" lists what it lists
    smartnotes options                          every option of the plugin, its default and what it does
    smartnotes scheduled                        future-dated publications and when each will appear
    smartnotes schema                           rewrite what the publication schema generates
    smartnotes screenshots [--out DIR]          pictures of every page type, desktop and phone, light and dark

Each command reads the site through the core (``mkdocs.yml``'s plugin
settings, the collections' files); none runs a build.  Add a command with a
``sub.add_parser`` and a ``run_<command>(args) -> exit code`` function.

Usage mistakes are told as Click tells them (``Usage:``, ``Try '… --help'``,
``Error: …``, exit status 2); problems in the site as ``error: …``, exit status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path

from .build import OPTION_GROUPS, ConfigError, SiteBuild
from .content.authors import load_authors
from .content.fields import PUBLICATION_SUFFIXES, _date_fix
from .content.load import load_site
from .content.options import specs
from .content.problems import Problem, did_you_mean, format_problems
from .content.text import title_slug
from .project import ProjectError, config_error, docs_claims, load_project, load_settings
from .related.index import RelatedIndex
from .related.links import PublicationLookup, RelatedEntry, build_related
from .runtime.screenshots import CHROMIUM, Job, ScreenshotError, build_site, capture
from .schema.artefacts import ArtefactError, artefacts, new_publication, stale, write
from .screenshots.pages import README_FOLDER, README_SHOTS, SCHEMES, SIZES, page_types


class UsageError(Exception):
    """A command line the parser accepts but the command cannot use (an unknown collection)."""


class _Parser(argparse.ArgumentParser):
    """argparse, with Click's way of telling a usage mistake."""

    def format_usage(self) -> str:
        return super().format_usage().replace("usage: ", "Usage: ", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage: ", "Usage: ", 1)

    def error(self, message: str):  # noqa: D102 - argparse's hook
        self.exit(2, f"{self.format_usage()}Try '{self.prog} --help' for help.\n\n"
                     f"Error: {message[:1].upper()}{message[1:]}\n")


def _prog() -> str:
    ran_as_module = bool(sys.argv and sys.argv[0]) and Path(sys.argv[0]).resolve() == Path(__file__).resolve()
    return "python -m smartnotes" if ran_as_module else "smartnotes"


def parser() -> argparse.ArgumentParser:
    top = _Parser(prog=_prog(), description="Smart Notes tools for editors: start, check and explain publications.")
    top.add_argument("-f", "--config-file", default="mkdocs.yml", help="the site's mkdocs.yml (default: %(default)s)")
    sub = top.add_subparsers(dest="command", required=True, metavar="command", parser_class=_Parser)
    new = sub.add_parser("new", help="start a publication: a draft with every field explained",
                         description="Write <folder>/<slug>.md for a new publication of COLLECTION: the title, today's "
                                     "date in the site's time zone, draft: true, the required fields, and every "
                                     "optional field as a comment with one line of help. Never overwrites a file: "
                                     "when the name or the address is taken, the slug gets -2, -3…")
    new.add_argument("collection", help="the collection's key in mkdocs.yml (notes, case_studies)")
    new.add_argument("title", help="the title, in quotes")
    new.add_argument("--author", action="append", default=[], metavar="ID",
                     help="an author id from the authors registry (repeat for several)")
    new.add_argument("--date", metavar="YYYY-MM-DD", help="the publication day (default: today in the site's time zone)")
    new.set_defaults(run=run_new)
    check = sub.add_parser("check", help="report every problem a build would, without building",
                           description="Validate the publications, the authors registry, \"Have you read?\" and the "
                                       "site's addresses as a build does, with the build's messages, all at once, "
                                       "without writing anything. Exit status 0 when there is no error, 1 otherwise.")
    check.add_argument("paths", nargs="*", metavar="PATH", help="only the problems of these files or folders")
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="text (default), json for tools, github for annotations in pull requests")
    check.set_defaults(run=run_check)
    related = sub.add_parser("related", help='explain a publication\'s "Have you read?" list',
                             description='Print the "Have you read?" entries of a publication, with the score '
                                         "and the shared signals and words behind each suggestion.")
    related.add_argument("publication", help="its file (notes/x.md), slug or URL")
    related.add_argument("--more", type=int, default=0, metavar="N",
                         help="also print the next N suggestions, which did not make the list")
    related.set_defaults(run=run_related)
    listing = sub.add_parser("options", help="list every option of the smartnotes plugin",
                             description="Every option of the smartnotes plugin in mkdocs.yml, its default and "
                                         "what it does (stated once, beside the code each one steers).")
    listing.set_defaults(run=run_options)
    scheduled = sub.add_parser("scheduled", help="list future-dated publications and when each will appear",
                               description="Every publication dated in the future (not a draft), soonest first, "
                                           "with the date and time it appears, in the site's time zone: with the "
                                           "first build on or after that moment (the daily build of "
                                           ".github/workflows/publish.yml). Drafts are not listed: they appear only "
                                           "once 'draft: true' is removed.")
    scheduled.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    scheduled.set_defaults(run=run_scheduled)
    importer = sub.add_parser("import", help="import another system's export (wordpress)")
    importer.add_argument("system", choices=["wordpress"])
    importer.add_argument("export", type=Path, help="the WordPress export (WXR .xml)")
    importer.add_argument("--uploads", type=Path, help="a copy of the old site's wp-content/uploads folder")
    importer.add_argument("--dry-run", action="store_true", help="write nothing; print the plan")
    importer.add_argument("--force", action="store_true", help="replace files edited since the last import")
    importer.set_defaults(run=run_import)
    schema = sub.add_parser("schema", help="rewrite what the publication schema generates",
                            description="Write schema/publication.schema.json and the writing guide's field table "
                                        "from the publication schema (plugins/smartnotes/content/fieldtable.py, the "
                                        "taxonomies, the countries, the authors registry). A file it did not write "
                                        "is never replaced silently.")
    schema.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is out of date")
    schema.add_argument("--force", action="store_true", help="replace a file that has no generated marker")
    schema.set_defaults(run=run_schema)
    edit = sub.add_parser("edit", help="the browser editor on this machine: http://127.0.0.1:8000/admin/",
                          description="Start Decap's local proxy (decap-server, from node_modules) on 127.0.0.1 "
                                      "in the project folder and `mkdocs serve` with the editor at /admin/; print "
                                      "the address. The editor writes publications and the authors registry into "
                                      "the project's files. Ctrl-C stops both. `make edit` installs what it needs.")
    edit.add_argument("--port", type=int, default=8000, help="the site's port on 127.0.0.1 (default 8000)")
    edit.set_defaults(run=run_edit)
    shots = sub.add_parser("screenshots", help="pictures of every page type (desktop and phone, light and dark)",
                           description="Build the site (or take --site), serve it on 127.0.0.1 and write a PNG of "
                                       "each page type at 1280 and 390 px wide, light and dark, into --out. Needs "
                                       "the test tools: Playwright and Debian's chromium (make test installs them).")
    shots.add_argument("--out", type=Path, default=Path("screenshots"), help="folder for the pictures "
                       "(default: %(default)s, not committed)")
    shots.add_argument("--site", type=Path, help="a site already built (default: build one into a temporary folder)")
    shots.add_argument("--only", nargs="+", metavar="NAME", help="these page types (home, publication-notes, …)")
    shots.add_argument("--sizes", nargs="+", choices=list(SIZES), default=list(SIZES))
    shots.add_argument("--schemes", nargs="+", choices=list(SCHEMES), default=list(SCHEMES))
    shots.add_argument("--readme", action="store_true", help=f"rewrite the README's two pictures in {README_FOLDER}/")
    shots.add_argument("--chromium", default=CHROMIUM, help="the browser (default: %(default)s)")
    shots.set_defaults(run=run_screenshots)
    return top


def main(argv: list[str] | None = None) -> int:
    top = parser()
    args = top.parse_args(argv)
    try:
        return args.run(args)
    except UsageError as exc:
        sub = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction)).choices[args.command]
        sub.error(str(exc))
    except (ProjectError, ArtefactError, ScreenshotError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def run_edit(args: argparse.Namespace) -> int:
    from .runtime.editing import EditingError, run_editor

    config_file = Path(args.config_file)
    _, settings, options = load_project(config_file)
    editor = options["editor_"]
    if not editor.enabled:
        raise ProjectError(f"{config_file}: editor_enabled is false under plugins.smartnotes, so there is no /admin/ "
                           "— remove that line")
    if editor.self_host == "never":
        print("note: editor_self_host is 'never': /admin/ loads the editor from unpkg.com (needs the internet)",
              file=sys.stderr)
    try:
        return run_editor(settings.root, config_file.resolve(), editor.local_port, args.port)
    except EditingError as exc:
        raise ProjectError(str(exc)) from None


def run_import(args: argparse.Namespace) -> int:
    from .importer.run import import_wordpress
    from .importer.wxr import ExportError

    settings, options = load_settings(Path(args.config_file))
    try:
        return import_wordpress(settings, options["import_"], args.export, args.uploads, dry_run=args.dry_run,
                                force=args.force)
    except ExportError as exc:
        raise ProjectError(str(exc)) from None


def _author_ids(settings) -> list[str]:
    if settings.authors_file is None:
        return []
    authors, _, _ = load_authors(settings.authors_file, settings.root)
    return list(authors)


def run_schema(args: argparse.Namespace) -> int:
    _, settings, options = load_project(Path(args.config_file))
    found = artefacts(settings, _author_ids(settings), options["editor_"])
    root = settings.root
    if args.check:
        old = stale(found)
        for artefact in old:
            print(f"error: {artefact.path.relative_to(root).as_posix()} is out of date — run `smartnotes schema`",
                  file=sys.stderr)
        return 1 if old else 0
    written = write(found, root, force=args.force)
    for rel in written:
        print(f"Wrote {rel}")
    if not written:
        print("Everything the schema generates is up to date.")
    return 0


def run_new(args: argparse.Namespace) -> int:
    _, settings, _ = load_project(Path(args.config_file))
    keys = [c.key for c in settings.collections]
    collection = next((c for c in settings.collections if c.key == args.collection), None)
    if collection is None:
        hint = did_you_mean(args.collection, keys)
        raise UsageError(f"no collection {args.collection!r}. " + (hint[:1].upper() + hint[1:] if hint
                                                                     else f"Collections: {', '.join(keys)}."))
    title = " ".join(args.title.split())
    base = title_slug(title)
    if not base:
        raise UsageError(f"the title {args.title!r} has no letters or digits to make a file name from.")
    day = settings.now.astimezone(settings.timezone).date().isoformat()
    if args.date:
        day = _day(args.date)
    registry = _author_ids(settings)
    for author in args.author:
        if author not in registry:
            hint = did_you_mean(author, registry)
            raise UsageError(f"unknown author {author!r}. " + (hint[:1].upper() + hint[1:] if hint else
                             f"Add the person to {_rel(settings.authors_file, settings.root)} first."))
    folder = settings.root / collection.folder
    taken_urls = {p.url for p in load_site(settings).publications}
    slug, number = base, 1
    while _taken(folder, slug) or f"{collection.prefix}/{slug}/" in taken_urls:
        number += 1
        slug = f"{base}-{number}"
    text = new_publication(settings, title, day, list(dict.fromkeys(args.author)))
    target = folder / f"{slug}.md"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(target, "x", encoding="utf-8") as handle:  # never overwrites, even in a race
            handle.write(text)
    except FileExistsError:
        raise ProjectError(f"{_rel(target, settings.root)} exists (it appeared just now) — run the command again")
    rel = _rel(target, settings.root)
    if slug != base:
        print(f"{collection.folder}/{base}.md or the address /{collection.prefix}/{base}/ is taken: "
              f"using the slug {slug!r}")
    print(f"Created {rel} (a draft, dated {day}): /{collection.prefix}/{slug}/")
    if not args.author:
        print(f"Add your author id to 'authors:' (ids are in {_rel(settings.authors_file, settings.root)}"
              + (f": {', '.join(registry[:5])}{', …' if len(registry) > 5 else ''})" if registry else ")"))
    print(f"Next: write the text, then run `smartnotes check {rel}` and preview it with `make serve`.")
    return 0


def _taken(folder: Path, slug: str) -> bool:
    return any((folder / f"{slug}{suffix}").exists() for suffix in PUBLICATION_SUFFIXES) or (folder / slug).exists()


def _day(text: str) -> str:
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise UsageError(f"--date {text!r} is not a date: {_date_fix(text.strip())}.") from None


def _rel(path: Path | None, root: Path) -> str:
    if path is None:
        return "the authors registry"
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def run_check(args: argparse.Namespace) -> int:
    config_file = Path(args.config_file)
    config, settings, options = load_project(config_file)
    wanted = []
    for text in args.paths:
        path = Path(text)
        if not path.exists():
            raise UsageError(f"path {text!r} does not exist.")
        wanted.append(_rel(path, settings.root).rstrip("/"))
    try:
        build = SiteBuild(options, settings, serving=False, description=str(config.get("site_description") or ""))
    except ConfigError as exc:
        raise ProjectError(config_error(exc, config_file)) from None
    problems = build.check(lambda is_refused: docs_claims(config, settings, is_refused))
    if wanted:
        problems = [p for p in problems if any(p.path == w or p.path.startswith(f"{w}/") or w in (".", "")
                                               for w in wanted)]
    errors = sum(p.is_error for p in problems)
    checked = len(build.catalog.publications) if build.catalog else 0
    if args.format == "json":
        print(json.dumps({"errors": errors, "warnings": len(problems) - errors, "problems": [
            {"path": p.path, "line": p.line, "field": p.field, "message": p.message, "fix": p.fix,
             "severity": p.severity, "text": str(p)} for p in problems]}, indent=2, ensure_ascii=False))
    elif args.format == "github":
        for problem in problems:
            print(_annotation(problem))
    elif problems:
        print(format_problems(problems))
    else:
        print(f"No problems: {checked} publication(s) would be published.")
    return 1 if errors else 0


def _annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command: an annotation on the file and line of the problem."""
    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    title = f",title={prop(problem.field)}" if problem.field else ""
    text = f"{problem.message} — {problem.fix}" if problem.fix else problem.message
    return f"::{problem.severity} file={prop(problem.path)},line={problem.line}{title}::{data(text)}"


def run_options(args: argparse.Namespace) -> int:
    for prefix, group in OPTION_GROUPS.items():
        for spec in specs(group, prefix):
            default = spec.default
            shown = "[]" if default == () else "(built-in)" if spec.key == "taxonomies" else repr(default)
            print(f"{spec.key}: {shown}\n    {spec.doc}")
    return 0


def run_scheduled(args: argparse.Namespace) -> int:
    settings, _ = load_settings(Path(args.config_file))
    loaded = load_site(settings)
    now = settings.now
    waiting = sorted((p for p in loaded.publications if not p.draft and p.date > now),
                     key=lambda p: (p.date, p.source_path))
    errors = sum(p.is_error for p in loaded.problems)
    zone = settings.timezone
    if args.format == "json":
        print(json.dumps({"now": now.astimezone(zone).isoformat(), "timezone": str(zone), "errors": errors,
                          "scheduled": [{"path": p.source_path, "title": p.title, "url": settings.absolute(p.url)
                                         if settings.site_url else f"/{p.url}",
                                         "appears": p.date.astimezone(zone).isoformat()} for p in waiting]},
                         indent=2, ensure_ascii=False))
        return 0
    print(f"Now: {_moment(now, zone)} ({zone}).")
    if not waiting:
        print("Nothing is scheduled: no publication is dated in the future.")
    else:
        print(f"{len(waiting)} publication(s) scheduled; each appears with the first build on or after its time:")
        for publication in waiting:
            print(f"  {_moment(publication.date, zone)}  {publication.source_path}  {publication.title}"
                  f"  -> /{publication.url}")
    if errors:
        print(f"({errors} error(s) in the content: a publication with errors is not listed — run `smartnotes check`)")
    return 0


def _moment(value: datetime, zone) -> str:
    """``2026-12-05 09:00 EST, Saturday``: the site's time zone, as a person reads a schedule."""
    local = value.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}, {local:%A}"


def run_related(args: argparse.Namespace) -> int:
    settings, options = load_settings(Path(args.config_file))
    options = options["related_"]
    loaded = load_site(settings)
    lookup = PublicationLookup(loaded.publications)
    target = _find(args.publication, lookup, settings.root)
    if target is None:
        return 2
    visible = [p for p in loaded.publications if p.is_visible(settings.now)]
    shown = visible if target in visible else [*visible, target]
    result = build_related(loaded.publications, settings.now, options, shown=shown)
    index = result.index
    entries = result.lists.get(target.url, ())
    out = []
    out.append(f"{target.source_path}: {target.title}")
    out.append(f"  {target.kind_label}, {target.date.date().isoformat()}, /{target.url}"
               + ("" if target.is_visible(settings.now) else "  (not published: draft or future)"))
    problems = [p for p in result.problems if p.path == target.source_path]
    for problem in problems:
        out.append(f"  problem: {problem}")
    curated = sum(e.curated for e in entries)
    out.append("")
    out.append(f"Have you read? {len(entries)} of related_count {options.count}: {curated} curated, "
               f"{len(entries) - curated} suggested (related_min_score {options.min_score:g})")
    for number, entry in enumerate(entries, 1):
        out += _describe(number, entry, target, lookup, index)
    if not entries:
        out.append("  (none: nothing scores related_min_score or more)")
    backlinks = result.backlinks.get(target.url, ())
    if backlinks:
        out.append("")
        out.append("Referenced in" + (" (shown unless suggested above)" if options.backlinks
                                      else " (related_backlinks is off: not shown)") + ":")
        for entry in backlinks:
            score = index.explain(target, lookup.by_path[entry.source_path]).score
            out.append(f"  - {entry.title} ({entry.source_path}; as a suggestion it would score {score:.3f})")
    if args.more > 0:
        room = max(0, options.count - curated)
        exclude = {e.source_path for e in entries if e.curated and not e.external}
        further = index.suggest(target, room + args.more, exclude)[room:]
        out.append("")
        out.append(f"Next {len(further)} suggestion(s), not shown:")
        for number, found in enumerate(further, len(entries) + 1):
            out += _describe(number, RelatedEntry.of(found.publication, score=found.score), target, lookup, index)
    print("\n".join(out))
    return 0


def _find(text: str, lookup: PublicationLookup, root: Path):
    """The publication named on the command line: a path (from here or the root), slug or URL."""
    candidate = Path(text)
    if candidate.exists():
        try:
            text = candidate.resolve().relative_to(root).as_posix()
        except ValueError:
            pass
    matches = lookup.find(text)
    if len(matches) == 1:
        return matches[0]
    if matches:
        print(f"error: {text!r} is the slug of several publications: "
              f"{', '.join(p.source_path for p in matches)} — give the path", file=sys.stderr)
        return None
    near = lookup.nearest(text, lookup.all)
    hint = f" — did you mean {' or '.join(repr(p) for p in near)}?" if near else ""
    print(f"error: {text!r} is not a publication{hint}", file=sys.stderr)
    return None


def _describe(number: int, entry: RelatedEntry, target, lookup: PublicationLookup, index: RelatedIndex) -> list[str]:
    if entry.external:
        return [f"  {number}. {entry.title}", f"       curated external link: {entry.url}"]
    how = "curated" if entry.curated else f"score {entry.score:.3f}"
    lines = [f"  {number}. {entry.title}",
             f"       {how} · {entry.label}, {entry.date.date().isoformat()} · {entry.source_path} · /{entry.url}"]
    other = lookup.by_path.get(entry.source_path)
    why = index.explain(target, other)
    if entry.curated:
        lines.append(f"       (as a suggestion it would score {why.score:.3f})")
    if why.signals:
        lines.append("       signals: " + ", ".join(f"{kind} {name!r} +{points:.3f}" for kind, name, points in why.signals))
    if why.words:
        shown = ", ".join(f"{word} +{points:.3f}" for word, points in why.words[:8])
        more = f" (+{len(why.words) - 8} more)" if len(why.words) > 8 else ""
        lines.append(f"       words (+{why.text_score:.3f}): {shown}{more}")
    if not why.signals and not why.words:
        lines.append("       shares no counted signal or word")
    return lines



def run_screenshots(args: argparse.Namespace) -> int:
    import tempfile

    config_file = Path(args.config_file)
    config, settings, options = load_project(config_file)
    build = SiteBuild(options, settings, serving=False)
    problems = build.check()
    if any(p.is_error for p in problems):
        raise ProjectError(format_problems(problems))
    shots = {shot.name: shot for shot in page_types(build.catalog, settings.taxonomies, settings.docs_dir)}
    wanted = [(name, size, scheme) for name in shots for size in args.sizes for scheme in args.schemes]
    out = args.out
    if args.readme:
        wanted, out = list(README_SHOTS), settings.root / README_FOLDER
    elif args.only:
        unknown = [n for n in args.only if n not in shots]
        if unknown:
            raise UsageError(f"no page type {unknown[0]!r}: {did_you_mean(unknown[0], shots) or ''} "
                             f"(page types: {', '.join(shots)})".replace(":  (", ": ("))
        wanted = [w for w in wanted if w[0] in args.only]
    with tempfile.TemporaryDirectory(prefix="smartnotes-screenshots-") as scratch:
        site = args.site
        if site is None:
            site = Path(scratch) / "site"
            build_site(config_file, site)
        jobs = [Job(shots[name].path, *SIZES[size], scheme, out / shots[name].file_name(size, scheme),
                    shots[name].search) for name, size, scheme in wanted]
        written = capture(site, jobs, args.chromium)
    print(f"{len(written)} screenshot(s) in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
