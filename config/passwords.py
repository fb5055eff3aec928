"""How account passwords are stored (settings.PASSWORD_HASHERS)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id with the parameters of OWASP's Password Storage Cheat Sheet (19 MiB, 2 passes,
    1 lane): memory-hard, so a guessing rig pays in memory what it would save in cores. About
    20 ms per login on a server core where Django's default PBKDF2 (1,000,000 iterations, which
    buys no more against such a rig) took 270 ms: a hall of 300 people signing in from the
    session's QR code within a few seconds no longer spends the web cores on hashing. Hashes
    stored earlier (PBKDF2, or Argon2 with other parameters) still verify and are rewritten
    with these at the account's next login."""

    memory_cost = 19_456  # KiB
    time_cost = 2
    parallelism = 1
