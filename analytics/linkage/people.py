"""Synthetic people recorded by several bodies with realistic variation, and the truth of who is who.

Used to train the shipped model, by the tests and by the accuracy benchmark. Each person is recorded
one or more times; every further record may carry a typo, a nickname or Welsh form of the given name,
lost accents or apostrophes, a hyphen turned to a space, swapped names, a day and month swapped, a year
off by one, a missing or changed postcode, or missing contact details. Common names repeat, so distinct
people share names and must be told apart by date of birth and address.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pyarrow as pa

GIVEN_NAMES = (
    "John", "David", "Robert", "William", "James", "Michael", "Thomas", "Richard", "Elizabeth",
    "Margaret", "Catherine", "Susan", "Stephen", "Christopher", "Daniel", "Edward", "Anthony",
    "Jennifer", "Rebecca", "Victoria", "Samuel", "Nicholas", "Matthew", "Joseph", "Sarah", "Emma",
    "Olivia", "Amelia", "Isla", "Mohammed", "Aisha", "Fatima", "Priya", "Arjun", "Wei", "Oluwaseun",
    "Chloé", "Zoë", "Renée", "José", "Siân", "Siôn", "Rhys", "Dafydd", "Gareth", "Gwen", "Ffion",
    "Cerys", "Bethan", "Iolo", "Huw", "Ioan", "Angharad", "Llinos", "Carys", "Seren", "Mary-Jane",
    "Jean-Paul", "Anne-Marie", "Siobhán", "Seán", "Niamh", "Aoife", "Bronwen", "Eleri", "Aled",
    "Gethin", "Owain", "Lowri", "Nia", "Rhiannon", "Tegan", "Ellis", "Harriet", "George", "Alice",
    "Grace", "Jack", "Harry", "Charlotte", "Lily", "Sophie", "Jessica", "Hannah", "Lucy", "Peter",
    "Paul", "Mark", "Andrew", "Kevin", "Helen", "Karen", "Deborah", "Amanda", "Philip", "Timothy",
    "Patricia", "Alexander", "Benjamin", "Henry", "Frederick", "Lawrence", "Raymond", "Kenneth",
)  # fmt: skip

FAMILY_NAMES = (
    "Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan",
    "Griffiths", "Price", "Llewellyn", "Pritchard", "Gruffudd", "ap Rhys", "Smith", "Brown",
    "Taylor", "Wilson", "Johnson", "Walker", "Wright", "Robinson", "Thompson", "White", "Hall",
    "Green", "Wood", "Harris", "Martin", "Jackson", "Clarke", "Clark", "Turner", "Hill", "Scott",
    "Cooper", "Ward", "Morris", "King", "Watson", "Baker", "Harrison", "Young", "Allen", "Mitchell",
    "O'Brien", "O'Connor", "O'Neill", "D'Souza", "McDonald", "MacLeod", "Smith-Jones",
    "Lloyd-Davies", "Parry-Williams", "Müller", "Núñez", "Brontë", "Zieliński", "Nowak", "Kowalski",
    "Khan", "Ahmed", "Ali", "Hussain", "Patel", "Singh", "Begum", "Chen", "Wang", "Okafor",
    "Adeyemi", "Mensah", "Ferreira", "Rossi", "Kelly", "Murphy", "Byrne", "Walsh", "Fitzgerald",
    "Owen", "Rees", "Jenkins", "Powell", "Phillips", "Edwards", "Parry", "Bowen", "Vaughan",
    "Pugh", "Prosser", "Gwynne", "Meredith", "Cadwaladr", "Llywelyn", "Tudor", "Lloyd", "Ellis",
)  # fmt: skip

# Name → variants that people write for it (nicknames, Welsh and English forms).
NICKNAMES = {
    "Robert": ("Bob", "Rob", "Bobby"),
    "Elizabeth": ("Liz", "Beth", "Lizzie"),
    "David": ("Dai", "Dave", "Dafydd"),
    "Dafydd": ("Dai", "David"),
    "William": ("Bill", "Will", "Gwilym"),
    "James": ("Jim", "Jamie"),
    "Michael": ("Mike", "Mick"),
    "Thomas": ("Tom", "Twm"),
    "Richard": ("Rich", "Dick"),
    "Margaret": ("Maggie", "Peggy"),
    "Catherine": ("Kate", "Cathy"),
    "Susan": ("Sue",),
    "Stephen": ("Steve", "Steven"),
    "Christopher": ("Chris",),
    "Daniel": ("Dan", "Danny"),
    "Edward": ("Ed", "Ted"),
    "Anthony": ("Tony",),
    "Jennifer": ("Jenny", "Jen"),
    "Rebecca": ("Becky",),
    "Victoria": ("Vicky",),
    "Samuel": ("Sam",),
    "Nicholas": ("Nick",),
    "Matthew": ("Matt",),
    "Joseph": ("Joe",),
    "John": ("Jack", "Ioan", "Siôn"),
    "Huw": ("Hugh",),
    "Gwen": ("Gwendolen",),
    "Alexander": ("Alex",),
    "Benjamin": ("Ben",),
    "Henry": ("Harry",),
    "Frederick": ("Fred",),
    "Kenneth": ("Ken",),
    "Deborah": ("Debbie",),
    "Amanda": ("Mandy",),
    "Timothy": ("Tim",),
    "Philip": ("Phil",),
}

BODIES = ("E23000036", "E23000009", "CPS-WA", "WCU-E23000036", "HMCTS", "PR-WA")
_AREAS = ("CF", "SA", "NP", "LL", "SY", "LD", "B", "M", "L", "LS", "BS", "E", "SW", "N", "OX", "CB")
_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass(frozen=True)
class Person:
    person_id: str
    given_name: str
    family_name: str
    date_of_birth: date
    postcode: str
    email: str | None
    phone: str | None


_SURNAME_STARTS = (
    "Ash", "Black", "Brad", "Brook", "Castle", "Cole", "Crom", "Dun", "Elling", "Fair", "Gold", "Hart",
    "Hay", "Holm", "Kings", "Lang", "Lock", "Mar", "Mill", "Nor", "Oak", "Pen", "Ros", "Shel", "Stan",
    "Thorn", "Wal", "West", "Whit", "Wind", "Brom", "Carr", "Chad", "Dal", "Fen", "Har", "Kel", "Lin",
    "Mor", "Pem", "Red", "Sal", "Tal", "Wen", "Yar", "Aber", "Tre", "Llan", "Caer", "Pont",
)  # fmt: skip
_SURNAME_ENDS = (
    "ley", "ton", "worth", "by", "field", "ford", "ham", "wood", "well", "more", "dale", "wick", "stone",
    "bridge", "croft", "hurst", "combe", "son", "er", "ridge", "man", "land", "burn", "gate", "shaw",
    "thorpe", "cott", "den", "low", "row", "ey", "in", "ock", "an", "edd",
)  # fmt: skip
_GIVEN_STARTS = (
    "Al", "Bri", "Cae", "Dar", "El", "Fen", "Gwy", "Hal", "Is", "Jor", "Kai", "Lor", "Mer", "Nel", "Or",
    "Per", "Ros", "Sil", "Tam", "Ul", "Val", "Wyn", "Zan", "Ar", "Bel", "Cor", "Del", "Em", "Ger", "Ian",
)  # fmt: skip
_GIVEN_ENDS = (
    "a",
    "an",
    "en",
    "ia",
    "on",
    "yn",
    "ie",
    "as",
    "ey",
    "eth",
    "ith",
    "o",
    "us",
    "ara",
    "wen",
    "is",
)

# The common names above are a minority of a real population; the rest is a long tail of rarer names.
TAIL_FAMILY_NAMES = tuple(a + b.lower() for a in _SURNAME_STARTS for b in _SURNAME_ENDS)
TAIL_GIVEN_NAMES = tuple(a + b for a in _GIVEN_STARTS for b in _GIVEN_ENDS)


def _name(rng: random.Random, common: tuple[str, ...], tail: tuple[str, ...], common_share: float) -> str:
    if rng.random() >= common_share:
        return rng.choice(tail)
    if rng.random() < 0.7:
        return rng.choice(common)
    # A few names are very common, as in a real population.
    index = min(int(rng.paretovariate(1.2)) - 1, len(common) - 1)
    return common[(index * 7919) % len(common)]


def _postcode(rng: random.Random) -> str:
    return (
        f"{rng.choice(_AREAS)}{rng.randint(1, 40)} {rng.randint(0, 9)}"
        f"{rng.choice(_LETTERS)}{rng.choice(_LETTERS)}"
    )


def _person(rng: random.Random, number: int, postcodes: list[str]) -> Person:
    given = _name(rng, GIVEN_NAMES, TAIL_GIVEN_NAMES, 0.6)
    family = _name(rng, FAMILY_NAMES, TAIL_FAMILY_NAMES, 0.3)
    born = date(1930, 1, 1) + timedelta(days=rng.randrange(0, 365 * 90))
    slug = f"{given}.{family}".lower().replace(" ", "").replace("'", "")
    email = f"{slug}{number}@example.org" if rng.random() < 0.5 else None
    phone = f"07{rng.randrange(10**9):09d}" if rng.random() < 0.5 else None
    return Person(f"P{number:08d}", given, family, born, rng.choice(postcodes), email, phone)


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.35:
        return text[:i] + rng.choice(string.ascii_lowercase) + text[i + 1 :]
    if kind < 0.65:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind < 0.85:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]


def _plain(text: str) -> str:
    """How a system without accents, apostrophes or hyphens records a name."""
    for accented, plain in zip("éëèêôûŷâüúñçńá", "eeeeouyauuncna", strict=True):
        text = text.replace(accented, plain)
    return text.replace("'", "").replace("-", " ")


def _shift_dob(rng: random.Random, born: date) -> date | None:
    roll = rng.random()
    if roll < 0.3 and born.day <= 12 and born.day != born.month:
        return date(born.year, born.day, born.month)
    if roll < 0.5:
        try:
            return born.replace(year=born.year + rng.choice((-1, 1)))
        except ValueError:
            return born
    if roll < 0.8:
        return born + timedelta(days=rng.choice((-2, -1, 1, 2)))
    return None


def _variant(rng: random.Random, person: Person, postcodes: list[str], noise: float) -> dict[str, object]:
    given, family = person.given_name, person.family_name
    born: date | None = person.date_of_birth
    postcode: str | None = person.postcode
    email, phone = person.email, person.phone
    if rng.random() < noise and given in NICKNAMES:
        given = rng.choice(NICKNAMES[given])
    if rng.random() < noise:
        given = _typo(rng, given)
    if rng.random() < noise:
        family = _typo(rng, family)
    if rng.random() < noise:
        given, family = _plain(given), _plain(family)
    if rng.random() < noise / 8:
        given, family = family, given
    if rng.random() < noise / 2:
        born = _shift_dob(rng, person.date_of_birth)
    roll = rng.random()
    if roll < noise / 2:
        postcode = None
    elif roll < noise * 0.8:
        postcode = rng.choice(postcodes)
    elif roll < noise:
        # moved nearby: the same outward code
        postcode = person.postcode[:-2] + rng.choice(_LETTERS) + rng.choice(_LETTERS)
    elif rng.random() < 0.5:
        postcode = person.postcode.replace(" ", "").lower()
    if rng.random() < 0.5:
        email = None
    elif rng.random() < noise / 3:
        email = f"{person.family_name.lower().replace(' ', '')}{rng.randrange(100)}@example.net"
    if rng.random() < 0.5:
        phone = None
    elif rng.random() < noise / 3:
        phone = f"07{rng.randrange(10**9):09d}"
    elif phone:
        phone = "+44 " + phone[1:]
    if rng.random() < 0.3:
        given, family = given.upper(), family.upper()
    return {
        "given_name": given,
        "family_name": family,
        "date_of_birth": born,
        "postcode": postcode,
        "email": email,
        "phone": phone,
    }


def generate_records(people: int, *, seed: int = 1, noise: float = 0.3) -> Iterator[dict[str, object]]:
    """Records of `people` people; each record carries `person_id`, the truth."""
    rng = random.Random(seed)
    postcodes = [_postcode(rng) for _ in range(max(10, people // 4))]
    record_number = 0
    for number in range(people):
        person = _person(rng, number, postcodes)
        copies = 1 + min(int(rng.expovariate(1.4)), 4)
        bodies = rng.sample(BODIES, k=min(copies, len(BODIES)))
        for copy_number, body in enumerate(bodies):
            record_number += 1
            if copy_number == 0:
                fields: dict[str, object] = {
                    "given_name": person.given_name,
                    "family_name": person.family_name,
                    "date_of_birth": person.date_of_birth,
                    "postcode": person.postcode,
                    "email": person.email,
                    "phone": person.phone,
                }
            else:
                fields = _variant(rng, person, postcodes, noise)
            yield {
                "unique_id": f"R{record_number:08d}",
                "source_body": body,
                "person_ref": f"{body}-{record_number}",
                "person_id": person.person_id,
                **fields,
            }


SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("source_body", pa.string()),
        ("person_ref", pa.string()),
        ("person_id", pa.string()),
        ("given_name", pa.string()),
        ("family_name", pa.string()),
        ("date_of_birth", pa.date32()),
        ("postcode", pa.string()),
        ("email", pa.string()),
        ("phone", pa.string()),
        ("jjn", pa.string()),
    ]
)


def records_table(people: int, *, seed: int = 1, noise: float = 0.3) -> pa.Table:
    rows = list(generate_records(people, seed=seed, noise=noise))
    columns = {name: [row.get(name) for row in rows] for name in SCHEMA.names}
    return pa.table(columns, schema=SCHEMA)


def load_people(
    con: duckdb.DuckDBPyConnection, table_name: str, people: int, *, seed: int = 1, noise: float = 0.3
) -> int:
    """Create `table_name` holding synthetic victims records (with the truth in `person_id`); return its size."""
    records = records_table(people, seed=seed, noise=noise)
    con.register("__jj_people_view", records)
    try:
        con.execute(f"create or replace table {table_name} as select * from __jj_people_view")
    finally:
        con.unregister("__jj_people_view")
    return records.num_rows
