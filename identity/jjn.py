"""The Justice Journey Number: format, check character, parsing and random allocation.

A JJN reads ``JJ-7KDA-94FX-HMQF``: the prefix ``JJ`` and twelve characters in three groups of
four, the last being a check character. The characters come from an alphabet of 23 (a prime)
that leaves out every character easily confused with another when read aloud or handwritten
(0/O, 1/I/L, 5/S, 2/Z, 8/B, U/V). With weights 12, 11, ..., 1 over the twelve characters the
weighted sum is 0 modulo 23. Because 23 is prime and every weight and every difference between
adjacent weights is a non-zero number below 23, any single mistyped character and any swap of
two adjacent characters changes the sum, so the check always fails on those errors.

Numbers are drawn with `secrets` and never derived from anything about the person.
"""

import re
import secrets
import sys
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

ALPHABET = "34679ACDEFGHJKMNPQRTWXY"
MODULUS = len(ALPHABET)  # 23, a prime
PREFIX = "JJ"
BODY_LENGTH = 12  # eleven random characters and one check character
RANDOM_LENGTH = BODY_LENGTH - 1
SPACE = MODULUS**RANDOM_LENGTH  # about 9.5 x 10^14 numbers
_VALUE = {character: value for value, character in enumerate(ALPHABET)}
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")
_HINTS = {"0": "0 or O", "O": "0 or O", "1": "1, I or L", "I": "1, I or L", "L": "1, I or L"}


class InvalidJJN(ValueError):
    """A value that is not a Justice Journey Number; the message says why, in plain words."""


@dataclass(frozen=True, slots=True)
class Problem:
    value: str
    reason: str


def _weighted_sum(characters: str) -> int:
    return sum((BODY_LENGTH - position) * _VALUE[character] for position, character in enumerate(characters))


def check_character(random_part: str) -> str:
    """The check character that completes eleven alphabet characters into a valid number."""
    if len(random_part) != RANDOM_LENGTH or any(character not in _VALUE for character in random_part):
        raise InvalidJJN(f"a JJN has {RANDOM_LENGTH} characters before its check character")
    # The check character has weight 1, so it is simply the value that brings the sum to 0.
    return ALPHABET[(-_weighted_sum(random_part)) % MODULUS]


def compact(value: str) -> str:
    """Upper case, without spaces or hyphens: the form stored in databases (``JJ7KDA94FXHMQF``).

    Full-width and other compatibility forms become their plain letters and digits (NFKC), and invisible
    format characters pasted with a number (a zero-width space) are dropped."""
    text = unicodedata.normalize("NFKC", value or "")
    text = "".join(character for character in text if unicodedata.category(character) != "Cf")
    return _SEPARATORS.sub("", text).upper()


@cache
def compact_changes() -> Mapping[str, str]:
    """Each character that `compact` turns, on its own, into characters a JJN holds, or into nothing (""):
    full-width and other compatibility forms, lower case, spaces, hyphens and dashes, invisible characters.

    Replacing these characters, and only these, in a text gives its compact form whenever that form can be a JJN:
    any other character is one a JJN holds already or leaves one it never holds. So ingest, which reads JJNs
    in SQL, reads them by this table exactly as `parse` reads them. It is drawn from `compact` itself, over every
    character Unicode assigns (about a second, once).
    """
    holds = frozenset(PREFIX + ALPHABET)
    changes = {}
    for point in range(sys.maxunicode + 1):
        character = chr(point)
        if unicodedata.category(character) in {"Cn", "Cs"}:  # unassigned, or half of a UTF-16 pair
            continue
        becomes = compact(character)
        if becomes != character and holds.issuperset(becomes):
            changes[character] = becomes
    return MappingProxyType(changes)


def parse(value: str) -> str:
    """Validates a typed or received JJN and returns its compact form, or raises `InvalidJJN`.

    Lower case, spaces and hyphens are accepted anywhere.
    """
    text = compact(value)
    if not text:
        raise InvalidJJN("the JJN is empty")
    if not text.startswith(PREFIX):
        if text.isdigit() and len(text) == 10:
            raise InvalidJJN("this looks like an NHS number; a JJN starts with JJ")
        raise InvalidJJN("a JJN starts with JJ")
    body = text[len(PREFIX) :]
    # A character the alphabet lacks is named first: "JJ_476M_..." has a wrong character, not a wrong length.
    unused = [character for character in body if character not in _VALUE]
    if unused:
        character = unused[0]
        extra = f" (a JJN never uses {_HINTS[character]})" if character in _HINTS else ""
        raise InvalidJJN(f"the character {character!r} is never used in a JJN{extra}")
    if len(body) != BODY_LENGTH:
        raise InvalidJJN(
            f"a JJN has {BODY_LENGTH} characters after JJ, this one has {len(body)} — a character may be missing or extra"
        )
    if _weighted_sum(body) % MODULUS != 0:
        raise InvalidJJN("the check character is wrong — a character may be mistyped")
    return text


def is_valid(value: str) -> bool:
    try:
        parse(value)
    except InvalidJJN:
        return False
    return True


def display(value: str) -> str:
    """The one display form, ``JJ-7KDA-94FX-HMQF``, from any accepted input."""
    body = parse(value)[len(PREFIX) :]
    return "-".join([PREFIX, body[0:4], body[4:8], body[8:12]])


def generate() -> str:
    """A new random number in compact form. Uniqueness is the registry's job (a unique constraint)."""
    value = secrets.randbelow(SPACE)
    characters = []
    for _ in range(RANDOM_LENGTH):
        value, digit = divmod(value, MODULUS)
        characters.append(ALPHABET[digit])
    random_part = "".join(characters)
    return PREFIX + random_part + check_character(random_part)


def problems(values: list[str]) -> list[Problem]:
    found = []
    for value in values:
        try:
            parse(value)
        except InvalidJJN as error:
            found.append(Problem(value, str(error)))
    return found
