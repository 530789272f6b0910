"""The releases manifest: what was published when, as a history that can be checked.

`spi release` writes data/releases/releases.json; `spi build` copies it beside the databases
the site serves; the server reads that copy to choose a release by its clock. Both sides read
it through `read()`, which checks it on every read and refuses it, with one line per problem,
rather than serve a history that was changed.

A manifest is {"releases": [entry, …]}, in the order the entries were made (its JSON Schema:
contract/releases.schema.json). An entry is either
- a *release*: the candidate's figures (figures_sha256) and catalogue (catalogue_sha256), and
  when it says why it changes published figures, its reasons (reasons_sha256: optional, since
  releases made before reasons existed have none),
  public from `public_at`, with what it brings in English (`note`) and in Arabic (`note_ar`:
  optional, since entries made before notes had both languages have none and the history is
  never rewritten; `spi release` asks for both); or
- an *amendment* of the latest release while it is still under embargo: cancelled, or given
  another public time, with the reason. The release stays on record; nothing is erased; or
- a *record of pre-release access* (`access_of`): once a release's time has passed, the
  SHA-256 of the list of who saw it before (PRE_RELEASE_ACCESS, beside its files), written by
  `spi pre-release-access` (spi/access.py) together with that file. The list is written after
  its release's entry, so that entry cannot commit to it; an entry of its own, chained and
  signed like the others, makes the list tamper-evident too (an edit, a deletion, or a list
  put beside a release with no such entry), and the history still only grows. One per
  release, made no earlier than the release's public time, for a release not cancelled.

Tamper-evident, as Certificate Transparency and git are: every entry but the first carries
`previous_sha256`, the SHA-256 of the entry before it (entry_sha256: its canonical JSON,
signature included), so each entry commits to the whole history before it and to the hashes
of its files. Changing, removing or moving an entry breaks the chain at the next one. An entry
may also carry an Ed25519 `signature` (of its canonical JSON without the signature) by the
ministry's key, whose public half is in the catalogue (`site.signing_key`): then even the
latest entry cannot be changed without the private key.

Rules of a history that only grows, forward:
- release ids are unique; entries are in the order they were made (created_at);
- a release goes public no earlier than the release before it (public_at never decreases);
- only the latest release can be amended, and only before it is public (an amendment made
  after its public time would rewrite what the public saw); a reschedule keeps the order.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jsonschema

MANIFEST = "releases.json"
FIGURES = "observations.parquet"
CATALOGUE = "indicators.yaml"
# Why the release changes each published figure it changes (etl/revisions.py): only in a
# release that gives reasons, whose entry then records its hash (reasons_sha256).
REASONS = "reasons.json"
# Who read a release under embargo, recorded once its time has passed (spi/access.py), beside
# its files, never rewritten; its hash is in an entry of its own, made with it (ACCESS_OF).
PRE_RELEASE_ACCESS = "pre_release_access.json"
ACCESS_OF = "access_of"   # the key that makes an entry a record of pre-release access
SCHEMA = Path(__file__).with_name("releases.schema.json")
# How far a release's public time may lie before the moment it is made (clocks of two
# machines, a command typed at 09:00 for 09:00): any earlier would rewrite a day gone by.
CLOCK_SKEW = timedelta(minutes=2)


class ManifestError(ValueError):
    """A manifest that cannot be trusted: `problems` says each thing wrong, in a line."""

    def __init__(self, path: Path, problems: list[str]):
        self.path, self.problems = Path(path), problems
        super().__init__(f"{path}: " + "; ".join(problems))


@dataclass(frozen=True)
class Release:
    """A release as the history has it now: its entry, the time it goes (went) public after
    any reschedule, and whether it was cancelled."""
    entry: dict
    sha256: str                      # its entry's hash: what the next entry commits to
    public_at: datetime              # aware, UTC
    cancelled: bool = False
    amendments: tuple[dict, ...] = ()

    @property
    def release_id(self) -> str:
        return self.entry["release_id"]

    @property
    def timezone(self) -> str:
        return self.entry["timezone"]


@dataclass(frozen=True)
class History:
    """A checked manifest: its entries as written, and the releases they make."""
    entries: tuple[dict, ...]
    releases: tuple[Release, ...]    # every release in order, cancelled ones too
    hashes: tuple[str, ...] = field(repr=False, default=())   # entry_sha256 of each entry

    @property
    def live(self) -> tuple[Release, ...]:
        """The releases that are (or will be) published: not cancelled."""
        return tuple(r for r in self.releases if not r.cancelled)

    @property
    def head(self) -> str | None:
        """The hash of the latest entry, which commits to the whole history (None: empty)."""
        return self.hashes[-1] if self.hashes else None

    def latest(self) -> Release | None:
        """The latest release not cancelled (what a new release is compared with)."""
        return self.live[-1] if self.live else None

    def prefix(self, release_id: str) -> list[dict]:
        """The entries up to a release and its own amendments: all that its served database
        depends on (later entries cannot change it)."""
        end = next(n for n, e in enumerate(self.entries) if e.get("release_id") == release_id)
        stop = next((n for n, e in enumerate(self.entries) if n > end and "release_id" in e), len(self.entries))
        return [e for e in self.entries[:stop] if ACCESS_OF not in e]   # (a record of access is not in a database)

    def access(self) -> dict[str, dict]:
        """The records of pre-release access, by the release they are of: each release's
        entry that commits to its PRE_RELEASE_ACCESS file."""
        return {e[ACCESS_OF]: e for e in self.entries if ACCESS_OF in e}


ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")


def written_in(text: str) -> str:
    """The language of a text the publisher wrote in one language (a cancellation's or a
    reschedule's reason): 'ar' when it has an Arabic letter, else 'en'. A page marks the text
    with it, so that it is read, spoken and laid out as what it is."""
    return "ar" if ARABIC_LETTER.search(text or "") else "en"


def canonical(entry: dict) -> bytes:
    """The bytes an entry's hash and signature are of: sorted keys, no spaces, UTF-8."""
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_sha256(entry: dict) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def signed_bytes(entry: dict) -> bytes:
    """What a signature signs: the entry without its signature."""
    return canonical({k: v for k, v in entry.items() if k != "signature"})


def when(text: str) -> datetime:
    """A manifest time (with its offset) as an aware UTC datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def describe(n: int, entry: object) -> str:
    """How a report names an entry: its place, and the release it is or amends."""
    if isinstance(entry, dict) and isinstance(entry.get("release_id"), str):
        return f"entry {n} (release {entry['release_id'][:40]})"
    if isinstance(entry, dict) and isinstance(entry.get("amends"), str):
        return f"entry {n} ({entry.get('action', 'amendment')} of release {entry['amends'][:40]})"
    if isinstance(entry, dict) and isinstance(entry.get(ACCESS_OF), str):
        return f"entry {n} (pre-release access of release {entry[ACCESS_OF][:40]})"
    return f"entry {n}"


@cache
def _validators() -> dict[str, jsonschema.Draft202012Validator]:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return {kind: jsonschema.Draft202012Validator({"$ref": f"#/$defs/{kind}", "$defs": schema["$defs"]})
            for kind in ("release", "amendment", "access")}


def _shape(n: int, entry: object) -> list[str]:
    """What is wrong with an entry's shape (JSON Schema), one line each."""
    if not isinstance(entry, dict):
        return [f"entry {n} is {type(entry).__name__}, not an object"]
    kind = _kind(entry)
    out = []
    for error in sorted(_validators()[kind].iter_errors(entry), key=lambda e: list(map(str, e.absolute_path))):
        where = ".".join(map(str, error.absolute_path))
        what = error.message if len(error.message) < 200 else error.message[:200] + "…"
        hint = error.schema.get("description") if isinstance(error.schema, dict) else None
        out.append(f"{describe(n, entry)}: {where + ': ' if where else ''}{what}" + (f" (expected {hint})" if hint else ""))
    return out


def _kind(entry: dict) -> str:
    """Which of the schema's kinds of entry an entry is (by the key only that kind has)."""
    return "access" if ACCESS_OF in entry else "amendment" if "amends" in entry else "release"


def parse(data: object, path: Path) -> History:
    """A manifest's data, checked (ManifestError with every problem)."""
    if not isinstance(data, dict) or not isinstance(data.get("releases"), list):
        raise ManifestError(path, ['expected an object {"releases": [ … ]} (the file `spi release` writes)'])
    extra = sorted(set(data) - {"releases"})
    problems = [f"unknown key {', '.join(map(repr, extra))} beside \"releases\""] if extra else []
    entries = data["releases"]
    for n, entry in enumerate(entries, start=1):
        problems += _shape(n, entry)
    if problems:
        raise ManifestError(path, problems)
    problems = _chain(entries) + _zones(entries)
    if problems:
        raise ManifestError(path, problems)
    releases, problems = _releases(entries)
    problems += _access(entries, releases)
    if problems:
        raise ManifestError(path, problems)
    return History(tuple(entries), tuple(releases), tuple(entry_sha256(e) for e in entries))


def _chain(entries: list[dict]) -> list[str]:
    """Each entry commits to the one before it; the first to none."""
    out = []
    previous = None
    for n, entry in enumerate(entries, start=1):
        named = entry.get("previous_sha256")
        if previous is None and named is not None:
            out.append(f"{describe(n, entry)} names a previous entry ({named[:12]}…), but there is none before it: "
                       "entries were removed from the start of the history")
        elif previous is not None and named != previous:
            out.append(f"{describe(n, entry)} does not follow {describe(n - 1, entries[n - 2])}: it commits to "
                       f"{(named or 'nothing')[:12]}…, and that entry's hash is {previous[:12]}…: an entry was changed, "
                       "removed, added or moved")
        previous = entry_sha256(entry)
    return out


def _zones(entries: list[dict]) -> list[str]:
    out = []
    for n, entry in enumerate(entries, start=1):
        if "timezone" in entry:
            try:
                ZoneInfo(entry["timezone"])
            except (ZoneInfoNotFoundError, ValueError):
                out.append(f"{describe(n, entry)}: timezone {entry['timezone'][:60]!r} is not a time zone name")
    return out


def _releases(entries: list[dict]) -> tuple[list[Release], list[str]]:
    """The releases the entries make, and what breaks the rules of a history that only grows."""
    out: list[Release] = []
    problems: list[str] = []
    made = None
    for n, entry in enumerate(entries, start=1):
        created = when(entry["created_at"])
        if made is not None and created < made:
            problems.append(f"{describe(n, entry)} was made at {entry['created_at']}, before the entry above it: "
                            "entries are out of order")
        made = max(created, made) if made else created
        if ACCESS_OF in entry:
            continue   # no release's state changes (_access checks it)
        live = [r for r in out if not r.cancelled]
        if "release_id" in entry:
            if any(r.release_id == entry["release_id"] for r in out):
                problems.append(f"{describe(n, entry)}: release id {entry['release_id']} is given twice")
            public_at = when(entry["public_at"])
            if live and public_at < live[-1].public_at:
                problems.append(f"{describe(n, entry)} goes public at {entry['public_at']}, before release "
                                f"{live[-1].release_id} ({live[-1].public_at.isoformat()}): entries are out of order")
            out.append(Release(entry, entry_sha256(entry), public_at))
            continue
        latest = live[-1] if live else None
        if latest is None or latest.release_id != entry["amends"] or out[-1] is not latest:
            problems.append(f"{describe(n, entry)}: only the latest release can be amended"
                            + (f" (it is {out[-1].release_id})" if out else " (there is none)"))
            continue
        if created > latest.public_at + CLOCK_SKEW:
            problems.append(f"{describe(n, entry)} was made at {entry['created_at']}, after release "
                            f"{latest.release_id} went public ({latest.public_at.isoformat()}): a public release "
                            "cannot be amended")
            continue
        public_at = latest.public_at
        if entry["action"] == "reschedule":
            public_at = when(entry["public_at"])
            before = live[-2] if len(live) > 1 else None
            if before is not None and public_at < before.public_at:
                problems.append(f"{describe(n, entry)} moves release {latest.release_id} to {entry['public_at']}, "
                                f"before release {before.release_id}: entries are out of order")
        out[-1] = Release(latest.entry, latest.sha256, public_at, entry["action"] == "cancel",
                          (*latest.amendments, entry))
    return out, problems


def _access(entries: list[dict], releases: list[Release]) -> list[str]:
    """A record of pre-release access names a release above it, not cancelled, whose time had
    come when it was made (after any reschedule), and is the only record of that release."""
    out = []
    made: dict[str, int] = {}
    for n, entry in enumerate(entries, start=1):
        if "release_id" in entry:
            made[entry["release_id"]] = n
        if ACCESS_OF not in entry:
            continue
        rid = entry[ACCESS_OF]
        release = next((r for r in releases if r.release_id == rid), None)
        if release is None or rid not in made:
            out.append(f"{describe(n, entry)}: there is no release {rid[:40]} above it")
        elif release.cancelled:
            out.append(f"{describe(n, entry)}: release {rid} was cancelled, and was never public")
        elif when(entry["created_at"]) < release.public_at:
            out.append(f"{describe(n, entry)} was made at {entry['created_at']}, before release {rid} went public "
                       f"({release.public_at.isoformat()}): its list could still grow")
        elif any(ACCESS_OF in e and e[ACCESS_OF] == rid for e in entries[:n - 1]):
            out.append(f"{describe(n, entry)}: release {rid}'s pre-release access is recorded twice")
    return out


def read(folder: Path) -> History:
    """The folder's manifest, checked: an empty history when it has none; ManifestError when
    it cannot be read or breaks a rule (OSError for a file that cannot be opened)."""
    path = Path(folder) / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return History((), ())
    except UnicodeDecodeError:
        raise ManifestError(path, ["it is not UTF-8 text"]) from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ManifestError(path, [f"it is not JSON ({exc})"]) from None
    return parse(data, path)


def public_key(text: str) -> "Ed25519PublicKey":
    """The catalogue's `site.signing_key` (base64 of the 32 bytes of an Ed25519 public key);
    ValueError when it is not one."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    try:
        raw = base64.b64decode(text, validate=True)
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise ValueError(f"site.signing_key is not an Ed25519 public key in base64 ({exc})") from None


def signature_problems(history: History, key_text: str | None) -> list[str]:
    """Each entry's signature against the ministry's public key. Entries made before signing
    began may be unsigned; once one entry is signed, every later entry must be, and every
    signature must verify. Without a key, a signed entry cannot be checked: said so."""
    from cryptography.exceptions import InvalidSignature
    out = []
    if key_text is None:
        signed = [n for n, e in enumerate(history.entries, start=1) if "signature" in e]
        return [f"entries {', '.join(map(str, signed[:5]))} are signed, but the catalogue has no site.signing_key "
                "to check them with"] if signed else []
    key = public_key(key_text)
    signing = False
    for n, entry in enumerate(history.entries, start=1):
        if "signature" not in entry:
            if signing:
                out.append(f"{describe(n, entry)} is not signed, though the entries before it are: it was "
                           "written without the ministry's key")
            continue
        signing = True
        try:
            key.verify(base64.b64decode(entry["signature"]), signed_bytes(entry))
        except InvalidSignature:
            out.append(f"{describe(n, entry)}: its signature does not verify with site.signing_key: the entry was "
                       "changed after it was signed, or signed with another key")
    return out
