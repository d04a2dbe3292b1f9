"""Every model field says what kind of data it holds; personal data is allowed only in the vault.

A model declares ``data_classification = {field_name: Data.X, ...}`` covering every concrete
field. A test walks all models and fails on an unclassified field, or on ``Data.PERSONAL``
outside a model marked ``vault_model = True``.
"""

from enum import StrEnum


class Data(StrEnum):
    REFERENCE = "reference"  # published reference data, codes, catalogue entries
    OPERATIONAL = "operational"  # keys, timestamps, statuses, counts, checksums
    PSEUDONYMOUS = "pseudonymous"  # the JJN and bodies' person references: no meaning without the vault
    CHARACTERISTIC = "characteristic"  # sex, ethnicity, disability, age band: for breakdowns only
    STAFF = "staff"  # staff account details (sign-in name, work e-mail)
    SECRET = "secret"  # password and token hashes
    PERSONAL = "personal"  # victims' names, dates of birth, postcodes, contact details: vault only
