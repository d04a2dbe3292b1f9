import random
import re

import pytest

from identity import jjn

CONFUSABLE = set("0O1IL5S2Z8BUV")


def sample_numbers(count: int) -> list[str]:
    generator = random.Random(20261122)
    numbers = []
    for _ in range(count):
        random_part = "".join(generator.choice(jjn.ALPHABET) for _ in range(jjn.RANDOM_LENGTH))
        numbers.append(jjn.PREFIX + random_part + jjn.check_character(random_part))
    return numbers


def test_alphabet_is_prime_sized_and_free_of_confusable_characters():
    assert len(jjn.ALPHABET) == 23
    assert all(23 % divisor for divisor in range(2, 23))
    assert not CONFUSABLE & set(jjn.ALPHABET)


def test_space_is_large():
    assert jjn.SPACE >= 10**12


def test_generated_numbers_are_valid_displayed_in_groups_and_unlike_nhs_numbers():
    for _ in range(200):
        number = jjn.generate()
        shown = jjn.display(number)
        assert re.fullmatch(r"JJ-[34679ACDEFGHJKMNPQRTWXY]{4}(-[34679ACDEFGHJKMNPQRTWXY]{4}){2}", shown)
        assert jjn.parse(shown) == number
        assert not number.isdigit()


@pytest.mark.slow
def test_every_single_substitution_is_caught():
    for number in sample_numbers(400):
        body = number[len(jjn.PREFIX) :]
        for position in range(jjn.BODY_LENGTH):
            for replacement in jjn.ALPHABET:
                if replacement == body[position]:
                    continue
                typo = jjn.PREFIX + body[:position] + replacement + body[position + 1 :]
                with pytest.raises(jjn.InvalidJJN, match="check character is wrong"):
                    jjn.parse(typo)


@pytest.mark.slow
def test_every_adjacent_swap_is_caught():
    swaps = 0
    for number in sample_numbers(2000):
        body = number[len(jjn.PREFIX) :]
        for position in range(jjn.BODY_LENGTH - 1):
            if body[position] == body[position + 1]:
                continue
            swapped = body[:position] + body[position + 1] + body[position] + body[position + 2 :]
            assert not jjn.is_valid(jjn.PREFIX + swapped), (number, position)
            swaps += 1
    assert swaps > 20000


def test_every_pair_of_characters_in_every_adjacent_position_is_caught():
    # Exhaustive over the alphabet: whether a swap is caught depends only on the two values and their weights.
    base = sample_numbers(1)[0][len(jjn.PREFIX) :]
    for position in range(jjn.RANDOM_LENGTH - 1):
        for first in jjn.ALPHABET:
            for second in set(jjn.ALPHABET) - {first}:
                random_part = base[:position] + first + second + base[position + 2 : jjn.RANDOM_LENGTH]
                number = random_part + jjn.check_character(random_part)
                swapped = number[:position] + second + first + number[position + 2 :]
                assert not jjn.is_valid(jjn.PREFIX + swapped)


def test_input_accepts_lower_case_spaces_and_hyphens():
    number = sample_numbers(1)[0]
    shown = jjn.display(number)
    typed = " " + shown.lower().replace("-", " ") + " "
    assert jjn.display(typed) == shown
    assert jjn.display(number.lower()) == shown
    assert jjn.parse(shown.replace("-", " - ")) == number


def test_a_number_pasted_with_invisible_characters_or_in_full_width_letters_is_read():
    number = sample_numbers(1)[0]
    shown = jjn.display(number)
    assert jjn.display(shown + "\u200b") == shown  # a zero-width space copied with it
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in shown)
    assert jjn.display(full_width) == shown


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "empty"),
        ("4857773456", "looks like an NHS number"),
        ("AB-7KDA-94FX-HMQ3", "starts with JJ"),
        ("JJ-7KDA-94FX-HMQ", "has 12 characters after JJ, this one has 11"),
        ("JJ-7KD0-94FX-HMQ3", "never uses 0 or O"),
        ("JJ-7KDS-94FX-HMQ3", "'S' is never used"),
        ("JJ_7KDA_94FX_HMQ3", "'_' is never used"),  # the wrong character, not the length, is named
        ("JJ.7KDA.94FX.HMQ3", "'.' is never used"),
    ],
)
def test_invalid_values_are_refused_with_a_reason(value, reason):
    with pytest.raises(jjn.InvalidJJN, match=reason):
        jjn.parse(value)


def test_wrong_check_character_is_explained():
    number = sample_numbers(1)[0]
    wrong = number[:-1] + next(c for c in jjn.ALPHABET if c != number[-1])
    with pytest.raises(jjn.InvalidJJN) as error:
        jjn.parse(wrong)
    assert str(error.value) == "the check character is wrong — a character may be mistyped"


def test_the_number_module_needs_no_django():
    import subprocess
    import sys

    code = "import sys, identity.jjn as j; assert j.is_valid('JJ-7KDA-94FX-HMQF'); assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, env={"PATH": ""})
