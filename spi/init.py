"""`spi init DIR`: start a project, a ministry's statistics in a folder of their own.

It writes a catalogue to fill in (indicators.yaml: one country, its governorates from ISO
3166-2, one example indicator, one source), empty data/raw/ and data/releases/, a .gitignore
for data/processed/ and a README for the statistics unit (spi/starter/README.md). Where the
catalogue's schema asks for a text nobody but the unit can know (a governorate's Arabic name,
the source's title), it says `REPLACE: …`; it never holds a figure. The catalogue is loaded as
`spi build` loads it before anything is written, so that a new project always validates.
"""
from __future__ import annotations

import gettext
import json
import tempfile
from pathlib import Path

import pycountry

from contract.project import CATALOGUE
from etl.catalogue import CatalogueError, load_catalogue
from etl.checked_yaml import SCHEMAS

STARTER = Path(__file__).resolve().parent / "starter"
MARK = "REPLACE"   # every placeholder starts with it: `grep -n REPLACE indicators.yaml` lists them


class InitError(Exception):
    """No project was started; `status` is the exit status (2: a wrong argument)."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(text, ensure_ascii=False)


def _arabic_country(iso) -> str:
    """The country's Arabic name, from the ISO 3166-1 translations pycountry carries."""
    try:
        name = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"]).gettext(iso.name)
    except OSError:
        name = iso.name
    return name if name != iso.name else f"{MARK}: اسم البلد بالعربية"


def _timezone(code: str) -> tuple[str, str]:
    """The country's IANA time zone (CLDR's, through babel) and a comment when it is a guess."""
    from babel.core import get_global
    zones = list(get_global("territory_zones").get(code, []))
    if len(zones) == 1:
        return zones[0], ""
    if zones:
        return zones[0], f"   # {MARK} if yours is another: {code} has {len(zones)} time zones"
    return "UTC", f"   # {MARK}: the publisher's time zone, an IANA name such as Asia/Muscat"


def catalogue_text(code: str) -> str:
    """The starter catalogue of the country `code` (ISO 3166-1 alpha-2; quoted everywhere, since
    YAML reads NO, Norway's, as false)."""
    iso = pycountry.countries.get(alpha_2=code)
    cc = code.lower()
    zone, zone_note = _timezone(code)
    subdivisions = sorted(pycountry.subdivisions.get(country_code=code) or [], key=lambda s: s.code)
    if subdivisions:
        governorates = "    governorates:\n" + "".join(
            f"      {s.code}: {{ar: {_q(f'{MARK}: الاسم بالعربية ({s.code})')}, en: {_q(s.name)}}}   # {s.type}\n"
            for s in subdivisions)
    else:
        governorates = ""
    return f"""\
# yaml-language-server: $schema={(SCHEMAS / "indicators.schema.json").as_uri()}
# The indicator catalogue: what every figure means, in Arabic first and English second.
#
# `spi build` refuses any figure this file does not describe. Every text that starts with
# {MARK} is a placeholder: write the real text (list them with `grep -n {MARK} indicators.yaml`).
# To add an indicator, a topic, a unit, a breakdown member, a source or an alias, edit this file;
# no code changes. README.md says what goes where and which commands to run.

# The licence of the figures you publish: change it if yours is another.
licence:
  id: CC-BY-4.0
  name: Creative Commons Attribution 4.0
  path: https://creativecommons.org/licenses/by/4.0/

# timezone: release times written without a zone are in it, and the site shows times in it.
site:
  timezone: {zone}{zone_note}

topics:
  social_protection: {{order: 1, ar: الحماية الاجتماعية, en: Social protection}}

# Units. kind: count (whole numbers, never negative) or currency (never negative).
units:
  persons: {{kind: count, ar: شخص, en: persons, aliases: [أشخاص, فرد, أفراد, person]}}

# Breakdowns. The key is a column of your data files; aliases let a file write a label instead of the code.
dimensions:
  sex:
    ar: الجنس
    en: Sex
    members:
      male: {{ar: ذكور, en: Male, aliases: [ذكر, males, M]}}
      female: {{ar: إناث, en: Female, aliases: [أنثى, females, F]}}

# Sources: one entry for each document figures come from, named by id in every data file.
sources:
  {cc}_first_source:
    country: {_q(code)}
    publisher: {{ar: {_q(f"{MARK}: الجهة التي نشرت الوثيقة")}, en: {_q(f"{MARK}: who published the document")}}}
    title: {{ar: {_q(f"{MARK}: عنوان الوثيقة")}, en: {_q(f"{MARK}: the document's title")}}}
    published: null   # when it was published: "2025", "2025-06" or "2025-06-30"; null if it does not say
    reference_period: {{ar: {_q(f"{MARK}: الفترة التي تغطيها الأرقام")}, en: {_q(f"{MARK}: the period its figures cover")}}}

# The country and every governorate (ISO 3166-2, from pycountry; a data file may write a code or a
# name). Write each governorate's Arabic name, and add aliases: other spellings your files use.
# map: a GeoJSON file in data/geo/ whose features carry these codes draws the governorates' map.
geographies:
  {_q(code)}:
    ar: {_q(_arabic_country(iso))}
    en: {_q(iso.name)}
{governorates}
# Indicators: what each one counts, in plain words, and the data files of data/raw/ that carry it.
indicators:
  {cc}_beneficiaries:   # an example: rename it, or replace it with your first indicator
    topic: social_protection
    country: {_q(code)}
    files: [{cc}_figures.csv]
    unit: persons
    measure: stock   # stock: counted on a day; flow: over a period
    breakdowns: [sex]
    name: {{ar: المستفيدون, en: Beneficiaries}}
    definition:
      ar: {_q(f"{MARK}: ما الذي يُعدّ، ومتى، ومن يعدّه")}
      en: {_q(f"{MARK}: what is counted, when, and by whom")}
"""


def _readme(code: str) -> str:
    iso = pycountry.countries.get(alpha_2=code)
    cc = code.lower()
    example = next(iter(sorted(s.code for s in pycountry.subdivisions.get(country_code=code) or [])), code)
    text = (STARTER / "README.md").read_text(encoding="utf-8")
    for name, value in {"country": iso.name, "code": code, "cc": cc, "governorate": example}.items():
        text = text.replace("{{" + name + "}}", value)
    return text


def init(folder: str | Path, country: str = "OM") -> list[str]:
    """Start a project in `folder`; what was done, a line each. InitError, with nothing
    written, when the country is not one or the folder already holds a catalogue."""
    code = str(country).strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise InitError(f"--country {country}: not an ISO 3166-1 alpha-2 code such as OM, JO or LB; nothing was "
                        "written", status=2)
    root = Path(folder).expanduser().resolve()
    if root.exists() and not root.is_dir():
        raise InitError(f"{root} is a file, not a folder; nothing was written")
    if (root / CATALOGUE).exists():
        raise InitError(f"{root} already holds an {CATALOGUE}: it is a project already (edit its catalogue, or start "
                        "the new one in another folder); nothing was written")
    text = catalogue_text(code)
    with tempfile.TemporaryDirectory() as tmp:   # what `spi validate` and `spi build` will load
        (Path(tmp) / CATALOGUE).write_text(text, encoding="utf-8")
        try:
            load_catalogue(Path(tmp) / CATALOGUE)
        except CatalogueError as exc:
            raise InitError(f"the catalogue of {code} cannot be started: {str(exc).splitlines()[0]}; nothing was "
                            "written") from None
    try:
        done = _write(root, code, text)
    except OSError as exc:
        raise InitError(f"{exc.filename or root}: {exc.strerror or exc}; the project was not started "
                        f"(run `spi init` again once it can be written)") from None
    return done


def _write(root: Path, code: str, catalogue: str) -> list[str]:
    """The files, the catalogue last: a start cut short is started again by the next `spi init`."""
    done = []
    for folder in ("data/raw", "data/releases"):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / ".gitkeep").touch()
    ignore = root / ".gitignore"
    lines = ignore.read_text(encoding="utf-8").splitlines() if ignore.exists() else []
    if not {"data/processed/", "data/processed", "/data/processed/"} & {line.strip() for line in lines}:
        ignore.write_text("\n".join([*lines, "data/processed/"]) + "\n", encoding="utf-8")
    guide = root / "README.md"
    if guide.exists():
        guide = root / "SPI-README.md"
        done.append(f"kept your README.md; the statistics unit's guide is {guide.name}")
    guide.write_text(_readme(code), encoding="utf-8")
    (root / CATALOGUE).write_text(catalogue, encoding="utf-8")
    iso = pycountry.countries.get(alpha_2=code)
    governorates = len(pycountry.subdivisions.get(country_code=code) or [])
    done.insert(0, f"started a project in {root} for {iso.name} ({governorates} governorates): {CATALOGUE}, "
                   f"data/raw/, data/releases/, .gitignore, {guide.name}")
    done.append(f"next: write every {MARK} text in {CATALOGUE}, put the first figures in data/raw/ as {guide.name} "
                f"says, then, in {root}: spi validate data/raw/FILE, spi build, spi diff, spi release --note \"…\", "
                "spi serve")
    return done
