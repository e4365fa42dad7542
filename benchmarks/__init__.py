"""The "community day" benchmark suite (`guildhall bench`, `make bench`).

It seeds a community through our own tables, drives a day of commands through
the real command path (Invocation -> Runner -> cog -> domain -> storage ->
Reply) with concurrent callers, and measures, in the same process and run, the
floor: the minimal SQL of the same operation issued straight through the
driver. Ratios to that floor hold on a noisy machine where absolute times do
not. Nothing here is imported by the bot or the tests.
"""
