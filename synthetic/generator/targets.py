"""The national figures the generated journeys aim at (England and Wales, about 2024-25)."""

NATIONAL_ANNUAL_CRIMES = 6_600_000

# Shares of crimes by Home Office offence group.
OFFENCE_MIX = {
    "violence": 0.34,
    "sexual": 0.03,
    "robbery": 0.012,
    "burglary": 0.04,
    "vehicle": 0.055,
    "theft": 0.25,
    "arson_criminal_damage": 0.08,
    "drugs": 0.028,
    "public_order": 0.09,
    "weapons": 0.009,
    "misc_society": 0.028,
    "fraud": 0.038,
}

# Home Office outcome types, as shares of crimes old enough to have one; "" is not yet assigned.
OUTCOME_SHARES = {
    "1": 0.07,
    "2": 0.003,
    "3": 0.008,
    "4": 0.002,
    "5": 0.001,
    "6": 0.006,
    "7": 0.004,
    "8": 0.025,
    "9": 0.002,
    "10": 0.004,
    "11": 0.003,
    "12": 0.001,
    "13": 0.003,
    "14": 0.12,
    "15": 0.12,
    "16": 0.12,
    "17": 0.006,
    "18": 0.39,
    "20": 0.012,
    "21": 0.015,
    "22": 0.005,
    "": 0.08,
}

# How each offence group leans away from the national outcome shares (multipliers, renormalised so that
# the national shares above still hold over the offence mix).
OUTCOME_LEANINGS = {
    "violence": {"18": 0.45, "14": 1.6, "16": 1.6, "1": 1.2, "15": 1.1},
    "sexual": {"18": 0.3, "14": 2.0, "16": 2.0, "15": 1.6, "1": 0.6, "": 2.5},
    "robbery": {"18": 1.3, "1": 1.1},
    "burglary": {"18": 1.8, "14": 0.5, "16": 0.5, "1": 0.5},
    "vehicle": {"18": 2.0, "14": 0.3, "16": 0.3, "1": 0.3},
    "theft": {"18": 1.6, "14": 0.6, "16": 0.6, "1": 0.7},
    "arson_criminal_damage": {"18": 1.7, "14": 0.6, "16": 0.6, "1": 0.5},
    "drugs": {"18": 0.1, "1": 3.0, "7": 8.0, "8": 3.0, "3": 2.0},
    "public_order": {"18": 0.8, "14": 1.2, "16": 1.2},
    "weapons": {"18": 0.2, "1": 4.0},
    "misc_society": {"18": 0.6, "1": 2.0},
    "fraud": {"18": 1.5, "20": 3.0},
}

# Checked by the tests on a scale 0.01 run (see docs/synthetic-data.md).
CHARGED_SHARE = 0.07
NO_SUSPECT_SHARE = 0.39
VICTIM_DOES_NOT_SUPPORT_SHARE = 0.24
EVIDENTIAL_DIFFICULTIES_SHARE = 0.12
NOT_YET_ASSIGNED_SHARE = 0.08
VIOLENCE_SHARE = 0.34
ENHANCED_SHARE = 0.35
VPS_OFFERED_SHARE = 0.17
VRR_REQUEST_RATE = 0.015
VRR_OVERTURNED_RATE = 0.10
EVENTS_PER_CRIME = 10.0
DOMESTIC_ABUSE_SHARE = 0.15
