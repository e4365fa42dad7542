"""The registry: every command, action, reaction rule and job, by name."""

from __future__ import annotations

from collections.abc import Iterable

from cogs.kit.command import (
    DESCRIPTION_MAX,
    NAME_MAX,
    Action,
    Autocomplete,
    Cog,
    Command,
    Job,
    ReactionRule,
    View,
)
from cogs.kit.page import Page
from domain.core.activity import Projection


class DuplicateNameError(ValueError):
    """Two features declared the same command, action or job name."""


class Registry:
    """Collects cogs; adapters build their command surfaces from it."""

    def __init__(self) -> None:
        self.cogs: list[Cog] = []
        self._commands: dict[str, Command] = {}
        self._actions: dict[str, Action] = {}
        self._reactions: list[ReactionRule] = []
        self._jobs: dict[str, Job] = {}
        self._autocompletes: dict[str, Autocomplete] = {}
        self._views: dict[str, View] = {}
        self._projections: dict[str, Projection] = {}

    def add(self, cog: Cog) -> None:
        for command in cog.commands:
            _check_command(command)
            if command.name in self._commands:
                raise DuplicateNameError(f"command /{command.name} declared twice")
            for other in self._commands:
                if other.startswith(command.name + " ") or command.name.startswith(other + " "):
                    shorter = min(other, command.name, key=len)
                    raise DuplicateNameError(f"/{shorter} is both a command and a group")
            self._commands[command.name] = command
        for action in cog.actions:
            if action.name in self._actions:
                raise DuplicateNameError(f"action {action.name} declared twice")
            self._actions[action.name] = action
        for job in cog.jobs:
            if job.name in self._jobs:
                raise DuplicateNameError(f"job {job.name} declared twice")
            self._jobs[job.name] = job
        for view in cog.views:
            if view.name in self._views:
                raise DuplicateNameError(f"view {view.name} declared twice")
            self._views[view.name] = view
        self._reactions.extend(cog.reactions)
        self._autocompletes.update(cog.autocompletes)
        for projection in cog.projections:
            self.add_projection(projection)
        self.cogs.append(cog)

    def replace_commands(self, commands: Iterable[Command]) -> None:
        """Swap declared commands for reworded ones of the same names (see `declared_words`)."""
        by_name = {c.name: c for c in commands}
        unknown = set(by_name) - set(self._commands)
        if unknown:
            raise KeyError(f"no such commands: {sorted(unknown)}")
        self._commands.update(by_name)
        for cog in self.cogs:
            cog.commands = [by_name.get(c.name, c) for c in cog.commands]

    def add_projection(self, projection: Projection) -> None:
        """Register what a feature derives from activities (also `Cog(projections=...)`)."""
        if projection.name in self._projections:
            raise DuplicateNameError(f"projection {projection.name} declared twice")
        self._projections[projection.name] = projection

    @property
    def projections(self) -> list[Projection]:
        """Every projection, in the order the features were set up."""
        return list(self._projections.values())

    @property
    def pages(self) -> list[Page]:
        """Every feature's dashboard pages, in navigation order; a slug may appear once."""
        pages: dict[str, Page] = {}
        for cog in self.cogs:
            for page in cog.pages:
                if page.slug in pages:
                    raise DuplicateNameError(f"dashboard page {page.slug} declared twice")
                pages[page.slug] = page
        return sorted(pages.values(), key=lambda p: (p.order, p.slug))

    @property
    def commands(self) -> list[Command]:
        return sorted(self._commands.values(), key=lambda c: c.name)

    @property
    def actions(self) -> list[Action]:
        return list(self._actions.values())

    @property
    def jobs(self) -> list[Job]:
        return list(self._jobs.values())

    @property
    def reactions(self) -> list[ReactionRule]:
        return list(self._reactions)

    @property
    def dm_command(self) -> str | None:
        """The command a DM to the bot becomes (a feature names it), if any."""
        return next((c.dm_command for c in self.cogs if c.dm_command), None)

    def command(self, name: str) -> Command | None:
        return self._commands.get(name)

    def groups(self) -> dict[str, list[Command]]:
        """Commands by top-level name: {"points": [give, balance], "checkin": [checkin]}."""
        out: dict[str, list[Command]] = {}
        for c in self.commands:
            out.setdefault(c.group, []).append(c)
        return out

    def match(self, words: list[str]) -> tuple[Command | None, int]:
        """Find the command a text line names: the longest match of its first words."""
        for size in (3, 2, 1):
            if len(words) >= size:
                name = " ".join(words[:size]).lower()
                if name in self._commands:
                    return self._commands[name], size
        return None, 0

    def prefixed(self, words: list[str]) -> list[Command]:
        """Commands under a partial name ("admin quest" -> create, review…)."""
        prefix = " ".join(words).lower() + " "
        return [c for c in self.commands if c.name.startswith(prefix)]

    def action(self, action_id: str) -> tuple[Action | None, tuple[str, ...]]:
        """Split "proposal.vote:12:for" into its action and ("12", "for")."""
        name, *args = action_id.split(":")
        return self._actions.get(name), tuple(args)

    def reaction_rule(self, anchor_kind: str, emoji: str) -> ReactionRule | None:
        for rule in self._reactions:
            if rule.anchor_kind == anchor_kind and emoji in rule.emojis:
                return rule
        return None

    def view(self, name: str) -> View | None:
        """Return the view a platform asks for by name ("home"), if a feature declares it."""
        return self._views.get(name)

    def autocomplete(self, name: str) -> Autocomplete | None:
        return self._autocompletes.get(name)

    def extend(self, cogs: Iterable[Cog]) -> None:
        for cog in cogs:
            self.add(cog)


def _check_command(command: Command) -> None:
    for part in command.name.split(" "):
        if not part or len(part) > NAME_MAX or part != part.lower():
            raise ValueError(f"bad command name part {part!r} in /{command.name}")
    if len(command.name.split(" ")) > 3:
        raise ValueError(f"/{command.name}: at most group, subgroup and subcommand")
    if not 1 <= len(command.description) <= DESCRIPTION_MAX:
        raise ValueError(f"/{command.name}: description must be 1-{DESCRIPTION_MAX} characters")
    seen: set[str] = set()
    for option in command.options:
        if option.name in seen:
            raise ValueError(f"/{command.name}: option {option.name} declared twice")
        seen.add(option.name)
        if not 1 <= len(option.description) <= DESCRIPTION_MAX:
            raise ValueError(
                f"/{command.name} {option.name}: description 1-{DESCRIPTION_MAX} chars"
            )
    required_after_optional = False
    optional_seen = False
    for option in command.options:
        if not option.required:
            optional_seen = True
        elif optional_seen:
            required_after_optional = True
    if required_after_optional:
        raise ValueError(f"/{command.name}: required options must come before optional ones")
