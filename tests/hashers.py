"""Argon2 at the lowest cost the algorithm allows, for tests only.

The service hashes with Django's Argon2 parameters (100 MB and two passes, about 0.15 s a password on two
cores). Tests create and sign in thousands of accounts; at that cost the hashing alone took minutes of every
run. The hash has the same form (`argon2$argon2id$...`), so every path that reads or checks one runs as in
production; only the cost recorded in it differs. `tests/integration/accounts/test_shell.py` checks the
service's own setting.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8  # KiB: the least Argon2 accepts for one lane
    parallelism = 1
