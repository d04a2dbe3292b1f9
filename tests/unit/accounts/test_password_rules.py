"""A password never contains its account's user name."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.models import User


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("j.smith", "my name is J.Smith, hello"),
        ("sam", "a long passphrase with sam in it"),
        ("Ann", "xxANNxxxxxxx"),
    ],
)
def test_a_password_containing_the_user_name_is_refused(username, password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, User(username=username))
    assert "Your password must not contain your user name." in refused.value.messages


@pytest.mark.parametrize(
    ("username", "password"),
    [("jo", "a long passphrase with jo in it"), ("j.smith", "a long passphrase of mine 5")],
)
def test_a_short_user_name_or_one_not_in_the_password_is_no_bar(username, password):
    validate_password(password, User(username=username))
