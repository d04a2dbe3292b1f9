"""Ingest reads a JJN in SQL exactly as `identity.jjn.parse` reads a typed one: the same values are numbers, and
they are the same numbers."""

import random
import sys
import unicodedata

import duckdb
import pytest

from analytics.ingest.validate import jjn_sql, register_functions
from identity import jjn

NUMBER = "JJ7KDA94FXHMQF"


def read_in_sql(values: list[str]) -> list[str | None]:
    con = duckdb.connect()
    register_functions(con)
    try:
        con.execute("CREATE TABLE given AS SELECT unnest($1) AS v, generate_subscripts($1, 1) AS i", [values])
        return [row[0] for row in con.execute(f"SELECT {jjn_sql('v')} FROM given ORDER BY i").fetchall()]
    finally:
        con.close()


def read_in_python(value: str) -> str | None:
    try:
        return jjn.display(value)
    except jjn.InvalidJJN:
        return None


def assert_read_alike(values: list[str]) -> int:
    """Asserts that SQL and Python read each value alike; returns how many are numbers."""
    read = read_in_sql(values)
    differing = [
        (value, python, sql)
        for value, sql in zip(values, read, strict=True)
        if sql != (python := read_in_python(value))
    ]
    assert differing == []
    return sum(number is not None for number in read)


def number_holding(text: str, generator: random.Random) -> tuple[str, int]:
    """A valid compact JJN with `text` (JJN characters) somewhere in its body, and where it starts."""
    start = generator.randrange(jjn.RANDOM_LENGTH - len(text) + 1)
    fill = [generator.choice(jjn.ALPHABET) for _ in range(jjn.RANDOM_LENGTH - len(text))]
    random_part = "".join(fill[:start]) + text + "".join(fill[start:])
    return jjn.PREFIX + random_part + jjn.check_character(random_part), len(jjn.PREFIX) + start


def test_the_readings_include_what_was_found_refused():
    changes = jjn.compact_changes()
    assert changes["\u200b"] == changes["\u00a0"] == changes["\u2013"] == changes["-"] == ""
    assert changes["\uff2a"] == "J" and changes["k"] == "K" and changes["\u3371"] == "HPA"
    assert "O" not in changes and "\uff2f" not in changes  # a full-width O is still a character no JJN uses


def test_every_character_read_differently_is_read_alike():
    generator = random.Random(20261122)
    values = []
    for character, becomes in jjn.compact_changes().items():
        if becomes:
            number, start = number_holding(becomes, generator)
            values.append(number[:start] + character + number[start + len(becomes) :])
            # The same with a wrong check character: still refused in both.
            values.append(values[-1][:-1] + ("3" if values[-1][-1] != "3" else "4"))
        else:
            position = generator.randrange(len(NUMBER) + 1)
            values.append(NUMBER[:position] + character + NUMBER[position:])
    assert assert_read_alike(values) == len(jjn.compact_changes())


def test_other_characters_are_read_alike():
    # Every combining mark (which could join a letter) and a spread of every other assigned character, each in
    # place of a character of the number and added to it.
    characters = [
        chr(point)
        for point in range(sys.maxunicode + 1)
        if unicodedata.category(chr(point)) not in {"Cn", "Cs"}
        and (point % 37 == 0 or unicodedata.category(chr(point)) in {"Mn", "Mc", "Me"})
    ]
    values = []
    for index, character in enumerate(characters):
        position = 2 + index % 12
        values.append(NUMBER[:position] + character + NUMBER[position + 1 :])
        values.append(NUMBER[:position] + character + NUMBER[position:])
    assert len(values) > 10000
    assert assert_read_alike(values) > 0


@pytest.mark.parametrize("seed", range(4))
def test_numbers_written_every_which_way_are_read_alike(seed):
    generator = random.Random(seed)
    changes = jjn.compact_changes()
    forms: dict[str, list[str]] = {}
    for character, becomes in changes.items():
        forms.setdefault(becomes, []).append(character)
    marks = ["\u0301", "\u030a", "\u0338", "\u20dd", "\u3099"]
    values = []
    for _ in range(1500):
        number, _start = number_holding("", generator)
        if generator.random() < 0.3:  # a mistyped character
            position = generator.randrange(2, len(number))
            number = number[:position] + generator.choice(jjn.ALPHABET) + number[position + 1 :]
        written = []
        for character in number:
            roll = generator.random()
            written.append(
                generator.choice(forms[character]) if roll < 0.4 and character in forms else character
            )
            if roll > 0.9:
                written.append(generator.choice(forms[""]))
            elif roll > 0.88:
                written.append(generator.choice(marks))
        values.append("".join(written))
    assert 500 < assert_read_alike(values) < 1400
