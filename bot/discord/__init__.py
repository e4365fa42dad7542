"""The Discord adapter: discord.py client, command tree, rendering and delivery.

Only this package (and tests) imports `discord`; everything it serves comes
from the command registry, so no command is written twice.
"""
