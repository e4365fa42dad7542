"""The marketplace and payments on Discord (discord.py against the fake) and the console.

The same commands and buttons on each platform: a listing is sold and bought
into escrow, the seller accepts, and a credit pack's Stripe checkout link comes
back privately (a link button on Discord, the URL printed on the console). Slack:
tests/bot/slack/test_market_slack.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import App
from bot.console import ConsoleAdapter
from bot.payments.gateway import StripeGateway
from domain.identity import IdentityRepository, Member, Platform
from domain.payments.gateway import PaymentGateway
from tests.bot.discord.test_interactions import callback_for, embed
from tests.bot.payments_helpers import checkout_fake
from tests.helpers_ledger import assert_ledger_sound, open_escrow
from tests.helpers_ledger import fund as give
from tests.support.discord import running_bot
from tests.support.progress import member


@pytest.fixture
async def paying(app: App) -> AsyncIterator[App]:
    """The test's app with a Stripe gateway (a loopback Checkout) provided."""
    async with checkout_fake() as (base, _received):
        gateway = StripeGateway("sk_test_guildhall", base, app.config.payments)
        app.ctx.provide(PaymentGateway, gateway)
        yield app


GUILD = "290926798626357999"  # the sample guild of the Discord fake


async def fund(app: App, name: str, amount: int) -> None:
    await give(app, await member(app, name), amount, f"fund:{name}")


async def discord_member(app: App, user_id: str) -> Member:
    async with app.uow(read_only=True) as uow:
        found = await uow.get(IdentityRepository).member_for_account(
            Platform.DISCORD, GUILD, user_id
        )
    assert found is not None
    return found


async def test_console_sell_buy_accept_and_a_checkout_url(paying: App) -> None:
    app = paying
    console = ConsoleAdapter(app.runner, actor="sam")
    listed = await console.handle_line('/market sell other "Resume review" 50')
    assert listed is not None and "#1" in listed
    await member(app, "cal")
    await console.handle_line("/as cal")
    poor = await console.handle_line("/market buy 1")
    assert poor is not None and "costs 50 points and you have 0" in poor
    await fund(app, "ana", 80)
    await console.handle_line("/as ana")
    card = await console.handle_line("/market show 1")
    assert card is not None and "[1] Buy" in card
    bought = await console.handle_line("/press 1")
    assert bought is not None and "#1" in bought
    assert await open_escrow(app) == 50
    await console.handle_line("/as sam")
    accepted = await console.handle_line("/market accept 1")
    assert accepted is not None and "#1" in accepted
    await console.handle_line("/as ana")
    link = await console.handle_line("/credits buy small")
    assert link is not None and "https://pay.test/1" in link
    assert app.runner.unhandled_errors == 0
    await assert_ledger_sound(app)


async def test_discord_sell_then_buy_button_and_a_checkout_link_button(paying: App) -> None:
    app = paying
    async with running_bot(app) as (fake, _client):
        sell = fake.slash(
            "market",
            [
                {
                    "type": 1,
                    "name": "sell",
                    "options": [
                        {"type": 3, "name": "type", "value": "other"},
                        {"type": 3, "name": "title", "value": "Pitch feedback"},
                        {"type": 4, "name": "price", "value": 20},
                    ],
                }
            ],
        )
        await fake.dispatch("INTERACTION_CREATE", sell)
        listed = await fake.wait_for(callback_for(sell))
        assert "#1" in embed(listed)["description"]
        zed = {"id": "4242", "username": "zed"}
        checkin = fake.slash("checkin", [])
        checkin["member"]["user"] = {**checkin["member"]["user"], **zed}
        await fake.dispatch("INTERACTION_CREATE", checkin)
        await fake.wait_for(callback_for(checkin))
        await give(app, await discord_member(app, "4242"), 30, "fund:zed")
        click = fake.button("market.buy:1", message_id="1300000000000000000")
        click["member"]["user"] = {**click["member"]["user"], **zed}
        await fake.dispatch("INTERACTION_CREATE", click)
        ordered = embed(await fake.wait_for(callback_for(click)))["description"]
        assert "#1" in ordered, ordered
        assert await open_escrow(app) == 20
        buy = fake.slash("credits", [{"type": 1, "name": "buy", "options": []}])
        await fake.dispatch("INTERACTION_CREATE", buy)
        menu = await fake.wait_for(callback_for(buy))
        ids = [b.get("custom_id") for b in menu.json["data"]["components"][0]["components"]]
        assert ids == ["payments.pack:small", "payments.pack:large"]
        pick = fake.button("payments.pack:small", message_id="1300000000000000001")
        await fake.dispatch("INTERACTION_CREATE", pick)
        link = await fake.wait_for(callback_for(pick))
        button = link.json["data"]["components"][0]["components"][0]
        assert button["style"] == 5 and button["url"] == "https://pay.test/1"  # a link button
        assert link.json["data"]["flags"] & 64  # only the buyer sees it
    await assert_ledger_sound(app)
