"""The whole proposal lifecycle driven from the console, as a member would type it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.app import App
from bot.console import ConsoleAdapter
from domain.core.clock import FixedClock
from tests.support.console import run_console
from tests.support.proposals import sweep

ROOT = Path(__file__).resolve().parents[3]


async def test_console_lifecycle_from_proposal_to_implementation(
    app: App, clock: FixedClock
) -> None:
    console = ConsoleAdapter(app.runner, actor="ana")
    card = await console.handle_line(
        '/proposal create feature "Dark mode" A dark theme, please --deadline 2d'
    )
    assert card is not None and "#1 · Dark mode" in card and "[1] 👍 For" in card
    for who, line in (("bob", "/press 1"), ("carol", "/react 👍"), ("dave", "/vote 1 against")):
        await console.handle_line(f"/as {who}")
        out = await console.handle_line(line)
        assert out is not None and "Your vote on #1 is now" in out, (who, out)
    await console.handle_line("/as erin")
    await console.handle_line("/react 👎")
    taken_back = await console.handle_line("/react 👎 off")
    assert taken_back is not None and "took back your against vote on #1" in taken_back
    clock.advance(timedelta(days=2))
    await sweep(app)(clock.now())
    await console.handle_line("/as mia --mod")
    shown = await console.handle_line("/proposal show 1")
    assert shown is not None and "Approved" in shown and "For 2 · 👎 Against 1" in shown
    done = await console.handle_line("/admin proposal implement 1 shipped --link https://x.org/d")
    assert done is not None and "Marked #1 “Dark mode” implemented" in done
    exported = await console.handle_line("/admin export proposals json")
    assert exported is not None and "[file: proposals-" in exported
    assert app.runner.unhandled_errors == 0


def test_demo_community_has_proposals_to_vote_on(tmp_path: Path) -> None:
    result = run_console(tmp_path, "/proposals\n/as frank\n/vote 1 for\n")
    assert result.returncode == 0, result.stderr
    assert "Dark mode for the community site" in result.stdout
    assert "Monthly community call" in result.stdout
    assert "🚀 Implemented" in result.stdout
    assert "Your vote on #1 is now for" in result.stdout
