"""Dashboard pages a feature declares, the way it declares commands.

A page is a list of the feature's commands: read commands whose replies the
dashboard shows, and (moderator) commands it offers as forms. The web adapter
runs them through the same `Runner` as chat, as the signed-in moderator, so a
page can never do what that moderator could not do by typing, and every
action leaves the same trail.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Page:
    """One dashboard page: `slug` in the URL, `title` in the navigation.

    `shows` are command lines run to fill the page ("proposals",
    "leaderboard points week"); `forms` are command names offered as forms
    ("admin proposal close"). Commands a deployment does not install are left out.
    `order` places the page in the navigation.
    """

    slug: str
    title: str
    shows: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    order: int = 50
