"""Guildhall's rules: plain dataclasses, services and the small interfaces they need.

Nothing in this package imports an SDK, SQLAlchemy or an HTTP client, so every
rule can be tested without the network and any storage can implement it.
"""
