"""``fondly import`` file by file: each unit its own transaction, failures reported.

A Downloads folder holds exports of every kind, some damaged, some not exports
at all. Here every unit (a file; a Messenger thread: its folder) is imported in
its own transaction by :func:`fondly.ingest._import_unit`, so one bad file is
rolled back and reported while the rest is imported, and files no importer
claims are listed as skipped when they look like data. Zips inside a given
folder are opened too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path, PurePosixPath

from fondly.importers import ImportOptions, Tree, detect
from fondly.ingest._stage import Progress
from fondly.ingest._units import ImportResult, _import_unit, _unit_label
from fondly.store import Store

# Unclaimed files with these endings are worth a line in the summary ("skipped:
# not a chat export"); photos, voice notes and the like that exports ship with are not.
_DATA_SUFFIXES = {".txt", ".json", ".jsonl", ".csv", ".html", ".htm", ".xml", ".md", ".zip"}


def import_each(
    store: Store,
    paths: Iterable[Path],
    options: ImportOptions,
    progress: Progress | None,
    only: str | None,
    replace: bool,
    debug: bool = False,
    *,
    reading: Progress | None = None,
) -> list[ImportResult]:
    """Import unit by unit, each in its own transaction; failures become results.

    An unexpected exception inside one file (a parser bug) is reported for that
    file by its type alone, never its message (which could quote the file), and
    the others are still imported; ``debug`` lets it propagate instead.
    """
    from fondly._errors import FondlyError, UnknownFormat
    from fondly.ingest._units import unreadable

    results: list[ImportResult] = []
    named = [Path(p) for p in paths]
    for path in _expand(named):
        try:
            tree = Tree(Path(path))
        except FondlyError as exc:
            results.append(ImportResult(source=str(path), format="", error=str(exc)))
            continue
        except Exception as exc:  # an unreadable file, a loop of links
            if debug:
                raise
            error = str(unreadable(str(path), exc))
            results.append(ImportResult(source=str(path), format="", error=error))
            continue
        try:
            try:
                units = detect(tree, only=only)
            except UnknownFormat as exc:
                if tree.is_single_file:
                    # A file the user named is an error; inside a folder, a skip.
                    cut = _cut_json(tree, tree.entries[0].name)
                    reason = f"{tree.display(tree.entries[0].name)}: {cut}" if cut else str(exc)
                    results.append(ImportResult(source=str(path), format="", error=reason))
                    continue
                units = []
            results.extend(_skipped(tree, {name for unit in units for name in unit.entries}))
            for unit in units:
                try:
                    with store.transaction():
                        result = _read_damage(
                            partial(
                                _import_unit, store, tree, unit, options, progress, replace, reading
                            ),
                            _unit_label(tree, unit),
                        )
                except FondlyError as exc:
                    cause = exc.__cause__
                    if debug and cause is not None and not isinstance(cause, FondlyError):
                        raise cause from None
                    label = _unit_label(tree, unit)
                    result = ImportResult(source=label, format=unit.importer.name, error=str(exc))
                except Exception as exc:
                    if debug:
                        raise
                    label = _unit_label(tree, unit)
                    reason = (
                        f"{label}: could not be read ({type(exc).__name__}); nothing from it was "
                        "kept (fondly --debug import shows why)"
                    )
                    result = ImportResult(source=label, format=unit.importer.name, error=reason)
                results.append(result)
        except FondlyError as exc:
            results.append(ImportResult(source=str(path), format="", error=str(exc)))
        except Exception as exc:  # detection broke on hostile input (deep nesting, no access)
            if debug:
                raise
            error = str(unreadable(str(path), exc))
            results.append(ImportResult(source=str(path), format="", error=error))
        finally:
            tree.close()
    return _nothing_found(named, results)


def _nothing_found(named: list[Path], results: list[ImportResult]) -> list[ImportResult]:
    """The results, with one error for each named path in which no export at all was found.

    Inside a folder an unknown file is a skip, but a folder or archive that holds no
    export (only links that loop, only a zip of zips) is the user's mistake to hear
    about: its skips give way to that one line.
    """
    out = list(results)
    for path in named:
        prefix = str(path)
        mine = [r for r in out if r.source.startswith(prefix)]
        if all(r.skipped is not None for r in mine):
            out = [r for r in out if not r.source.startswith(prefix)]
            error = f"{prefix}: no chat export fondly knows was found here (see `fondly formats`)"
            out.append(ImportResult(source=prefix, format="", error=error))
    return out


def _export_root(tree: Tree, name: str) -> str | None:
    """The export an entry belongs to: ``""`` for a zip, else its top folder (``None`` at the top).

    A zip is one export, as is each folder a Downloads folder holds (an
    unzipped ``facebook-alex/``); a file lying loose at the top is its own.
    """
    if tree.is_zip:
        return ""
    top, sep, _ = name.partition("/")
    return top if sep else None


def _skipped(tree: Tree, claimed: set[str]) -> list[ImportResult]:
    """One row per unrecognised data file, or one per export for the rest of an export.

    An app's full export (Facebook's holds hundreds of JSON files: profile, ads,
    settings) is mostly not chats: those files are counted in one row of the
    export that held chats rather than listed one by one.
    """
    chat_exports = {_export_root(tree, name) for name in claimed} - {None}
    rows: list[ImportResult] = []
    rest: dict[str, int] = {}
    for entry in tree.entries:
        suffix = PurePosixPath(entry.name).suffix.lower()
        if (
            entry.name in claimed
            or suffix not in _DATA_SUFFIXES
            or (suffix == ".zip" and not tree.is_zip)
        ):
            continue
        root = _export_root(tree, entry.name)
        cut = _cut_json(tree, entry.name)
        if root is not None and root in chat_exports and not cut:
            rest[root] = rest.get(root, 0) + 1
            continue
        rows.append(
            ImportResult(
                source=tree.display(entry.name),
                format="",
                skipped=cut or "not a chat export fondly knows",
            )
        )
    for root, n in sorted(rest.items()):
        where = str(tree.path) if root == "" else tree.display(root)
        rows.append(
            ImportResult(
                source=where,
                format="",
                skipped=f"{n} other file(s) of this export hold no chats",
            )
        )
    return rows


# Unrecognised JSON files up to this size are parsed to tell a cut-off file
# (a download that stopped) from one that is simply not a chat export.
_CUT_CHECK_BYTES = 16 << 20


def _cut_json(tree: Tree, name: str) -> str | None:
    """ "damaged or incomplete JSON" when an unrecognised ``.json`` file ends mid-document.

    No importer could recognise such a file when it was cut before the keys
    they look for, yet "not a chat export" would send the user the wrong way.
    Only the parser's complaint about the end is used, never the text.
    """
    import json

    if not name.lower().endswith(".json"):
        return None
    entry = next((e for e in tree.entries if e.name == name), None)
    if entry is None or entry.size > _CUT_CHECK_BYTES:
        return None
    try:
        text = tree.read_bytes(name).decode("utf-8-sig", errors="replace").rstrip()
        json.loads(text)
    except json.JSONDecodeError as exc:
        if text and exc.pos >= len(text):
            return "damaged or incomplete JSON: the file ends before its data does"
    except (OSError, ValueError):
        return None
    return None


def _read_damage(work: Callable[[], ImportResult], label: str) -> ImportResult:
    """Run ``work``; a zip member that cannot be decompressed becomes a ParseError."""
    import zipfile
    import zlib

    from fondly._errors import ParseError

    try:
        return work()
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise ParseError(label, None, "damaged or incomplete archive member") from exc


def _expand(paths: Iterable[Path]) -> list[Path]:
    """The paths, plus every zip inside a given folder (a Downloads folder of exports)."""
    out: list[Path] = []
    for path in paths:
        out.append(Path(path))
        if Path(path).is_dir():
            out.extend(
                p
                for p in sorted(Path(path).rglob("*.zip"))
                if p.is_file() and not p.name.startswith(".")
            )
    return out
