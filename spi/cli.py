"""`spi`: build the database, check a new source file, serve the site, publish chart images.

build and validate are the ETL's (etl/); serve and publish read the built database through
the read layer (store/) and are imported only when asked for, so a build stays light.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from contract.schema import LANGS

from etl.build import DEFAULT_CATALOGUE, DEFAULT_OUT, DEFAULT_RAW, build, validate_files
from etl.catalogue import CatalogueError, load_catalogue
from etl.report import errors, format_report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="spi", description="Social protection indicators: build, validate, serve.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="build data/processed/indicators.duckdb from the raw files")
    p.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="folder of source files (default: data/raw)")
    p.add_argument("--catalogue", type=Path, default=DEFAULT_CATALOGUE, help="indicators.yaml")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: data/processed)")
    p = sub.add_parser("validate", help="check source files (with the rest of the raw folder) without touching the database")
    p.add_argument("files", type=Path, nargs="+")
    p.add_argument("--catalogue", type=Path, default=DEFAULT_CATALOGUE)
    p.add_argument("--raw", type=Path, default=DEFAULT_RAW, help="the raw folder the files join (default: data/raw)")
    p = sub.add_parser("serve", help="run the dashboard and the open data with gunicorn")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8050)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--db", type=Path, default=DEFAULT_OUT / "indicators.duckdb")
    p.add_argument("--public-url", default=None,
                   help="the site's public address for absolute links (default: $SPI_PUBLIC_URL, else each request's)")
    p = sub.add_parser("publish", help="write chart images (PNG, SVG, embed HTML) and the whole-dataset files")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--db", type=Path, default=None, help="database (default: $SPI_DB or data/processed)")
    p.add_argument("--indicator", action="append", help="only this indicator (repeatable)")
    p.add_argument("--lang", default="ar,en", help="languages, comma-separated (default: ar,en)")
    p.add_argument("--no-charts", action="store_true", help="skip the chart images")
    p.add_argument("--no-data", action="store_true", help="skip the whole-dataset files")
    p.add_argument("--base-url", default=None,
                   help="site address used in embed snippets (default: $SPI_PUBLIC_URL, else http://127.0.0.1:8050)")
    args = parser.parse_args(argv)
    return {"build": _build, "validate": _validate, "serve": _serve, "publish": _publish}[args.command](args)


def _say(text: str) -> None:
    print(text, flush=True)


def _build(args) -> int:
    _say(f"building from {args.raw}")
    result = build(args.raw, args.catalogue, args.out, progress=_say)
    if result.issues:
        print(format_report(result.issues), file=sys.stderr if not result.ok else sys.stdout)
    if not result.ok:
        print(f"build failed: {len(errors(result.issues))} error(s); the database was not changed", file=sys.stderr)
        return 1
    warnings = len(result.issues)
    _say(f"built {result.database} in {result.seconds:.2f} s: {result.files} files, {result.indicators} indicators, "
         f"{result.observations:,} observations, {warnings} warning(s)")
    return 0


def _validate(args) -> int:
    try:
        cat = load_catalogue(args.catalogue)
    except CatalogueError as exc:
        print(exc, file=sys.stderr)
        return 1
    missing = [f for f in args.files if not f.is_file()]
    if missing:
        print(f"no such file: {', '.join(map(str, missing))}", file=sys.stderr)
        return 1
    passed, issues = validate_files(args.files, cat, args.raw, progress=_say)
    if issues:
        print(format_report(issues), file=sys.stderr)
    if errors(issues):
        print(f"{len(errors(issues))} error(s)", file=sys.stderr)
        return 1
    _say(f"ok: {passed:,} figures pass every check (with the other files of {args.raw})")
    return 0


def _publish(args) -> int:
    from .publish import DEFAULT_BASE_URL, publish  # imported here so build/validate stay light
    from store.address import checked
    langs = tuple(x for x in args.lang.split(",") if x)
    if not langs or any(x not in LANGS for x in langs):
        print(f"--lang takes {', '.join(LANGS)} or {','.join(LANGS)}", file=sys.stderr)
        return 2
    try:
        base_url = checked(args.base_url) or checked(os.environ.get("SPI_PUBLIC_URL")) or DEFAULT_BASE_URL
        result = publish(args.out, args.db, charts=not args.no_charts, data=not args.no_data, langs=langs,
                         indicators=args.indicator, base_url=base_url, progress=_say)
    except (ValueError, FileNotFoundError, RuntimeError) as exc:
        print(f"publish failed: {exc}", file=sys.stderr)
        return 1
    _say(f"published {len(result.files)} files to {args.out}: {result.charts} chart(s) in {result.seconds_charts:.1f} s"
         f" ({result.renderer or 'no charts'}), dataset files in {result.seconds_data:.1f} s")
    return 0


def _serve(args) -> int:
    from .serve import serve  # imported here so build/validate stay light
    return serve(args.host, args.port, args.workers, args.db, args.public_url)


if __name__ == "__main__":
    sys.exit(main())
