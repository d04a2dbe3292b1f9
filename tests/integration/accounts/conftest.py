import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    # A request to a /cy/ page leaves Welsh active in the thread; views called directly would inherit it.
    with translation.override("en"):
        yield
