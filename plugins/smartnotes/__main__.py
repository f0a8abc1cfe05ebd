"""Commands for editors: ``python -m smartnotes <command>`` (see the writing guide).

    python -m smartnotes related notes/x.md      why "Have you read?" lists what it lists
    python -m smartnotes options                 every option of the plugin, its default and what it does

Each command reads the site through the core (``mkdocs.yml``'s plugin
settings, the collections' files); none runs a build.  Add a command with a
``sub.add_parser`` and a ``run_<command>(args) -> exit code`` function.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .build import OPTION_GROUPS
from .content.load import load_site
from .content.options import specs
from .project import ProjectError, load_settings
from .related.index import RelatedIndex
from .related.links import PublicationLookup, RelatedEntry, build_related


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m smartnotes", description="Smart Notes tools for editors.")
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", help="the site's mkdocs.yml (default: %(default)s)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
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
    importer = sub.add_parser("import", help="import another system's export (wordpress)")
    importer.add_argument("system", choices=["wordpress"])
    importer.add_argument("export", type=Path, help="the WordPress export (WXR .xml)")
    importer.add_argument("--uploads", type=Path, help="a copy of the old site's wp-content/uploads folder")
    importer.add_argument("--dry-run", action="store_true", help="write nothing; print the plan")
    importer.add_argument("--force", action="store_true", help="replace files edited since the last import")
    importer.set_defaults(run=run_import)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ProjectError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def run_import(args: argparse.Namespace) -> int:
    from .importer.run import import_wordpress
    from .importer.wxr import ExportError

    settings, options = load_settings(Path(args.config_file))
    try:
        return import_wordpress(settings, options["import_"], args.export, args.uploads, dry_run=args.dry_run,
                                force=args.force)
    except ExportError as exc:
        raise ProjectError(str(exc)) from None


def run_options(args: argparse.Namespace) -> int:
    for prefix, group in OPTION_GROUPS.items():
        for spec in specs(group, prefix):
            default = spec.default
            shown = "[]" if default == () else "(built-in)" if spec.key == "taxonomies" else repr(default)
            print(f"{spec.key}: {shown}\n    {spec.doc}")
    return 0


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


if __name__ == "__main__":
    sys.exit(main())
