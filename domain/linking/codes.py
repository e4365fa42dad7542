"""One-time link codes: readable to type across apps, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets

# No 0/O or 1/I/L: codes are read in one app and typed into another.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_code() -> str:
    """A random code such as "K7PQ-2M9X" (about 40 bits: unguessable within 15 minutes)."""
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def code_hash(code: str) -> str:
    """Store only a hash: a leaked database row cannot be used to link."""
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()
