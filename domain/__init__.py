"""Guildhall's rules: plain dataclasses, services and the small interfaces they need.

Nothing in this package imports an SDK, SQLAlchemy or an HTTP client, so every
rule can be tested without the network and any storage can implement it.
"""

# Feature config sections subclass `domain.config.Section` and `domain.config`
# gathers them, so it must load first, whichever domain module is imported first.
import domain.config  # noqa: F401
