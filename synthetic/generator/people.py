"""People: who each victim truly is, and how each body writes them down.

A person's true details are a pure function of (seed, true person id), from a counter-based hash, so any chunk
can recreate anyone without keeping state: a repeat victim looks the same wherever they turn up. How a body
records them (nickname, typo, swapped day and month of birth, missing or old postcode, missing
characteristics) is a pure function of (seed, body, person, record), so re-sent rows are byte-identical.
"""

import random
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from synthetic.generator import reference, text

ETHNICITY_CODES = [
    "W1",
    "W2",
    "W3",
    "W4",
    "W9",
    "M1",
    "M2",
    "M3",
    "M9",
    "A1",
    "A2",
    "A3",
    "A4",
    "A9",
    "B1",
    "B2",
    "B9",
    "O2",
    "O9",
]
# ONS Census 2021 shares (per cent): England and Wales, London, Wales.
ETHNICITY_SHARES = {
    "england": (
        74.4,
        0.9,
        0.1,
        0.2,
        6.2,
        0.9,
        0.4,
        0.8,
        0.8,
        3.1,
        2.7,
        1.1,
        0.7,
        1.6,
        1.0,
        2.5,
        0.5,
        0.6,
        1.6,
    ),
    "london": (
        36.8,
        1.7,
        0.1,
        0.4,
        14.7,
        1.5,
        0.9,
        1.2,
        2.1,
        7.5,
        3.3,
        3.7,
        1.7,
        4.6,
        3.9,
        7.9,
        1.6,
        1.6,
        4.8,
    ),
    "wales": (90.6, 0.3, 0.1, 0.1, 2.6, 0.4, 0.2, 0.4, 0.3, 0.7, 0.6, 0.4, 0.5, 0.7, 0.1, 0.6, 0.1, 0.5, 0.6),
}
# Victims' ages on 1 January 2025: (youngest, oldest, share).
AGE_BANDS = ((10, 17, 0.12), (18, 24, 0.14), (25, 34, 0.22), (35, 49, 0.27), (50, 64, 0.17), (65, 92, 0.08))
AGE_REFERENCE_DAY = text.day_number(date(2025, 1, 1))
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
WELSH_BOOST = 12.0
FEMALE_SHARE = 0.51
DISABLED_SHARE = 0.16

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix(values: np.ndarray) -> np.ndarray:
    x = values + _GOLDEN
    x = (x ^ (x >> np.uint64(30))) * _M1
    x = (x ^ (x >> np.uint64(27))) * _M2
    return x ^ (x >> np.uint64(31))


def hashed(seed: int, ids: np.ndarray, stream: int, salt: int = 0) -> np.ndarray:
    key = _mix(np.array([(seed * 1_000_003 + stream) * 7_919 + salt], dtype=np.uint64))
    return _mix(ids.astype(np.uint64) ^ key)


def uniform(seed: int, ids: np.ndarray, stream: int, salt: int = 0) -> np.ndarray:
    """Uniform [0, 1) floats, one per id, reproducible from (seed, id, stream, salt)."""
    return (hashed(seed, ids, stream, salt) >> np.uint64(11)).astype(np.float64) * (1.0 / 2**53)


def _cdf(weights: np.ndarray) -> np.ndarray:
    cdf = np.cumsum(weights, dtype=np.float64)
    return cdf / cdf[-1]


def _pick(cdf: np.ndarray, draws: np.ndarray) -> np.ndarray:
    return np.minimum(np.searchsorted(cdf, draws, side="right"), len(cdf) - 1)


def _strip_accents(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def _typos(name: str, rng: random.Random) -> list[str]:
    """Misspellings a clerk might make: a swapped, dropped or doubled letter, lost accents or punctuation."""
    variants: list[str] = []
    plain = _strip_accents(name)
    if plain != name:
        variants.append(plain)
    for mark, replacement in (("'", ""), ("-", " "), (" ", "")):
        if mark in name:
            variants.append(name.replace(mark, replacement))
    letters = len(name)
    attempts = 0
    while len(variants) < 4 and letters >= 3 and attempts < 50:
        attempts += 1
        position = rng.randrange(1, letters - 1)
        kind = rng.randrange(3)
        if kind == 0 and name[position].isalpha() and name[position + 1].isalpha():
            variant = name[:position] + name[position + 1] + name[position] + name[position + 2 :]
        elif kind == 1:
            variant = name[:position] + name[position + 1 :]
        else:
            variant = name[: position + 1] + name[position] + name[position + 1 :]
        if variant != name and variant not in variants:
            variants.append(variant)
    while len(variants) < 4:
        variants.append(name.upper())
    return variants[:4]


@dataclass(frozen=True)
class NameVocabulary:
    strings: pa.Array  # every spelling: the names first, then their variants and nicknames
    cdf_general: np.ndarray  # per sex (row) where given names, else one row
    cdf_welsh: np.ndarray
    base: np.ndarray  # vocabulary index of each name in sampling order, per sex row
    typo: np.ndarray  # (vocabulary size, 4) index of each misspelling
    nickname: np.ndarray  # (vocabulary size,) index of a nickname or -1


def _vocabulary(groups: list[list[int]], names: reference.NameList) -> NameVocabulary:
    rng = random.Random(20_250_401)
    strings = list(names.names)
    typo_rows: list[list[int]] = []
    for name in names.names:
        spellings = []
        for variant in _typos(name, rng):
            spellings.append(len(strings))
            strings.append(variant)
        typo_rows.append(spellings)
    nick = [-1] * len(names.names)
    nick_lists = reference.nicknames()
    for index, name in enumerate(names.names):
        if name in nick_lists:
            nick[index] = len(strings)
            strings.append(nick_lists[name][rng.randrange(len(nick_lists[name]))])
    size = len(strings)
    typo = np.tile(np.arange(size, dtype=np.int64)[:, None], (1, 4))
    typo[: len(typo_rows)] = np.array(typo_rows, dtype=np.int64)
    nickname = np.full(size, -1, dtype=np.int64)
    nickname[: len(nick)] = nick
    width = max(len(g) for g in groups)
    base = np.zeros((len(groups), width), dtype=np.int64)
    general = np.zeros((len(groups), width))
    welsh = np.zeros((len(groups), width))
    for row, members in enumerate(groups):
        base[row, : len(members)] = np.array(members, dtype=np.int64)
        weights = np.array([names.weights[i] for i in members])
        boost = np.array([WELSH_BOOST if names.welsh[i] else 1.0 for i in members])
        plain = np.array([0.15 if names.welsh[i] else 1.0 for i in members])
        general[row, : len(members)] = _cdf(weights * plain)
        welsh[row, : len(members)] = _cdf(weights * boost)
        general[row, len(members) :] = 2.0
        welsh[row, len(members) :] = 2.0
    return NameVocabulary(pa.array(strings, pa.string()), general, welsh, base, typo, nickname)


@lru_cache(maxsize=1)
def given_vocabulary() -> NameVocabulary:
    names = reference.given_names()
    female = [i for i, sex in enumerate(names.sexes) if sex == "F"]
    male = [i for i, sex in enumerate(names.sexes) if sex == "M"]
    return _vocabulary([female, male], names)


@lru_cache(maxsize=1)
def family_vocabulary() -> NameVocabulary:
    names = reference.family_names()
    return _vocabulary([list(range(len(names.names)))], names)


@dataclass(frozen=True)
class PostcodeBook:
    outward: pa.Array  # every "area + district" string
    force_districts: dict[int, np.ndarray]  # force index -> outward indices
    inward: pa.Array  # every "9AA"


@lru_cache(maxsize=1)
def postcode_book() -> PostcodeBook:
    outward: list[str] = []
    by_force: dict[int, np.ndarray] = {}
    codes = [force.code for force in reference.forces()]
    areas = reference.postcode_areas()
    for index, code in enumerate(codes):
        if code not in areas:
            continue
        members = []
        for area, highest in areas[code]:
            for district in range(1, highest + 1):
                members.append(len(outward))
                outward.append(f"{area}{district}")
        by_force[index] = np.array(members, dtype=np.int64)
    inward = [f"{sector}{a}{b}" for sector in range(10) for a in UNIT_LETTERS for b in UNIT_LETTERS]
    return PostcodeBook(pa.array(outward, pa.string()), by_force, pa.array(inward, pa.string()))


@dataclass
class People:
    """True details of a set of people, as parallel arrays."""

    pid: np.ndarray
    home: np.ndarray  # force index of the area they live in
    female: np.ndarray
    dob: np.ndarray  # day number
    given: np.ndarray  # given-name vocabulary index
    family: np.ndarray
    outward: np.ndarray
    inward: np.ndarray
    ethnicity: np.ndarray  # index into ETHNICITY_CODES
    disabled: np.ndarray


def _postcode(seed: int, pid: np.ndarray, home: np.ndarray, stream: int) -> tuple[np.ndarray, np.ndarray]:
    book = postcode_book()
    outward = np.zeros(len(pid), dtype=np.int64)
    draw = uniform(seed, pid, stream)
    for force_index in np.unique(home):
        rows = home == force_index
        members = book.force_districts[int(force_index)]
        outward[rows] = members[(draw[rows] * len(members)).astype(np.int64)]
    inward = (uniform(seed, pid, stream + 1) * len(book.inward)).astype(np.int64)
    return outward, inward


def true_people(
    seed: int, pid: np.ndarray, home: np.ndarray, welsh: np.ndarray, region: np.ndarray
) -> People:
    """`region`: 0 England outside London, 1 London, 2 Wales (of the home area)."""
    female = uniform(seed, pid, 1) < FEMALE_SHARE
    band_cdf = _cdf(np.array([share for _, _, share in AGE_BANDS]))
    band = _pick(band_cdf, uniform(seed, pid, 2))
    youngest = np.array([lo for lo, _, _ in AGE_BANDS])[band]
    oldest = np.array([hi for _, hi, _ in AGE_BANDS])[band]
    age_days = ((youngest + uniform(seed, pid, 3) * (oldest + 1 - youngest)) * 365.25).astype(np.int64)
    dob = AGE_REFERENCE_DAY - age_days
    given_v = given_vocabulary()
    sex_row = np.where(female, 0, 1)
    draw = uniform(seed, pid, 4)
    given = np.empty(len(pid), dtype=np.int64)
    for row in (0, 1):
        for is_welsh, cdf in ((False, given_v.cdf_general[row]), (True, given_v.cdf_welsh[row])):
            rows = (sex_row == row) & (welsh == is_welsh)
            given[rows] = given_v.base[row][_pick(cdf, draw[rows])]
    family_v = family_vocabulary()
    draw = uniform(seed, pid, 5)
    family = np.where(
        welsh,
        family_v.base[0][_pick(family_v.cdf_welsh[0], draw)],
        family_v.base[0][_pick(family_v.cdf_general[0], draw)],
    )
    outward, inward = _postcode(seed, pid, home, 6)
    ethnicity = np.empty(len(pid), dtype=np.int64)
    draw = uniform(seed, pid, 8)
    for code, name in enumerate(("england", "london", "wales")):
        rows = region == code
        ethnicity[rows] = _pick(_cdf(np.array(ETHNICITY_SHARES[name])), draw[rows])
    disabled = uniform(seed, pid, 9) < DISABLED_SHARE
    return People(pid, home, female, dob, given, family, outward, inward, ethnicity, disabled)


@dataclass(frozen=True)
class RecordingStyle:
    """How carefully a body writes people down; rates are shares of its victims rows."""

    careful: bool  # the police's own first record of a person: few slips
    sex_missing: float
    ethnicity_missing: float
    disability_missing: float
    dob_missing: float
    local_sex_codes: dict[str, str] | None = None


_SEX = pa.array(["F", "M", "NS"], pa.string())
_FLAG = pa.array(["N", "Y", "NS"], pa.string())
_ETHNICITY = pa.array([*ETHNICITY_CODES, "NS"], pa.string())


def victims_table(
    seed: int, people: People, body_salt: int, record: np.ndarray, refs: pa.Array, style: RecordingStyle
) -> pa.Table:
    """The body's `victims` rows for these people; `record` > 0 marks a second, independent record."""
    key = people.pid.astype(np.uint64) * np.uint64(8) + record.astype(np.uint64)

    def draw(stream: int) -> np.ndarray:
        return uniform(seed, key, 100 + stream, body_salt)

    slip = np.where(record > 0, 1.0, 0.01 if style.careful else 1.0)
    given_v, family_v = given_vocabulary(), family_vocabulary()
    given = people.given.copy()
    nick = given_v.nickname[given]
    use_nick = (draw(1) < 0.22 * slip) & (nick >= 0)
    given = np.where(use_nick, nick, given)
    typo = draw(2) < 0.07 * slip
    given = np.where(typo, given_v.typo[given, (draw(3) * 4).astype(np.int64)], given)
    family = people.family.copy()
    typo = draw(4) < 0.09 * slip
    family = np.where(typo, family_v.typo[family, (draw(5) * 4).astype(np.int64)], family)

    dob = people.dob.copy()
    years, months, days = text._civil(dob)
    swap = (draw(6) < 0.05 * slip) & (days <= 12) & (days != months)
    month_start = ((years - 1970) * 12 + days - 1).astype("datetime64[M]").astype("datetime64[D]")
    swapped = month_start.astype(np.int64) + months - 1
    dob = np.where(swap, swapped, dob)
    dob_valid = draw(7) >= np.where(record > 0, 0.12, style.dob_missing)

    outward, inward = people.outward, people.inward
    moved = draw(8) < 0.06 * slip
    if moved.any():
        new_out, new_in = _postcode(seed, key, people.home, 60 + body_salt % 7)
        outward = np.where(moved, new_out, outward)
        inward = np.where(moved, new_in, inward)
    postcode_valid = draw(9) >= np.where(record > 0, 0.15, 0.04)
    book = postcode_book()
    out_s = text.take(book.outward, outward)
    in_s = text.take(book.inward, inward)
    spaced = pc.binary_join_element_wise(out_s, in_s, " ")
    squashed = text.join(out_s, in_s)
    lower = pc.utf8_lower(spaced)
    form = draw(10)
    postcode = pc.if_else(
        pa.array(form < 0.05 * slip), squashed, pc.if_else(pa.array(form < 0.09 * slip), lower, spaced)
    )
    postcode = pc.if_else(pa.array(postcode_valid), postcode, pa.scalar(None, pa.string()))

    family_s = text.take(family_v.strings, family)
    upper = draw(11) < 0.08 * slip
    family_s = pc.if_else(pa.array(upper), pc.utf8_upper(family_s), family_s)
    given_s = text.take(given_v.strings, given)

    sex_code = np.where(draw(12) < 0.02, 2, np.where(people.female, 0, 1))
    sex_codes = _SEX
    if style.local_sex_codes:
        sex_codes = pa.array([style.local_sex_codes[code] for code in ("F", "M", "NS")], pa.string())
    sex = text.take(sex_codes, sex_code, draw(13) >= style.sex_missing)
    ethnicity_code = np.where(draw(14) < 0.06, len(ETHNICITY_CODES), people.ethnicity)
    ethnicity = text.take(_ETHNICITY, ethnicity_code, draw(15) >= style.ethnicity_missing)
    disability_code = np.where(draw(16) < 0.05, 2, people.disabled.astype(np.int64))
    disability = text.take(_FLAG, disability_code, draw(17) >= style.disability_missing)

    has_email = draw(18) < 0.3
    email_name = pc.utf8_lower(
        text.join(text.take(given_v.strings, people.given), ".", text.take(family_v.strings, people.family))
    )
    email_name = pc.replace_substring_regex(pc.utf8_normalize(email_name, form="NFKD"), r"[^a-z.]", "")
    domains = pa.array(["@example.com", "@example.org", "@example.net"], pa.string())
    email = text.join(email_name, text.take(domains, (draw(19) * 3).astype(np.int64)))
    email = pc.if_else(pa.array(has_email), email, pa.scalar(None, pa.string()))
    phone = text.numbered("07700 900", (uniform(seed, people.pid, 20) * 1000).astype(np.int64), 3)
    phone = pc.if_else(pa.array(draw(21) < 0.5), phone, pa.scalar(None, pa.string()))

    return pa.table(
        {
            "person_ref": refs,
            "given_name": given_s,
            "family_name": family_s,
            "date_of_birth": pc.if_else(pa.array(dob_valid), text.dates(dob), pa.scalar(None, pa.string())),
            "postcode": postcode,
            "sex": sex,
            "ethnicity": ethnicity,
            "disability": disability,
            "email": email,
            "phone": phone,
        }
    )


def person_refs(prefix: str, pid: np.ndarray, record: np.ndarray, body_salt: int) -> pa.Array:
    """A body's reference for a person: a bijection of (person, record), so distinct people never collide."""
    value = (pid.astype(np.uint64) + record.astype(np.uint64) * np.uint64(1 << 36)) * np.uint64(0x9E3779B1)
    value = (value + np.uint64(body_salt * 2_654_435_761)) & np.uint64((1 << 40) - 1)
    return text.numbered(prefix, value.astype(np.int64), 13)
