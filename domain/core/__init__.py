"""What every feature shares: ids, clock, errors, config base, unit of work, activities.

Feature packages (`domain/<feature>/`) sit beside this one, so a feature is
recognisable at a glance and the shared modules are in one place.
"""
