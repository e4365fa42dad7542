"""The marketplace and payments on Slack: the real slack-bolt app, as on Discord and the console."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import App
from bot.payments.gateway import StripeGateway
from domain.identity import IdentityRepository, Member, Platform
from domain.payments.gateway import PaymentGateway
from tests.bot.payments_helpers import checkout_fake
from tests.bot.slack.conftest import TEAM_ID, SlackHarness
from tests.helpers_ledger import assert_ledger_sound, fund, open_escrow


@pytest.fixture
async def paying(app: App) -> AsyncIterator[App]:
    """The test's app with a Stripe gateway (a loopback Checkout) provided."""
    async with checkout_fake() as (base, _received):
        gateway = StripeGateway("sk_test_guildhall", base, app.config.payments)
        app.ctx.provide(PaymentGateway, gateway)
        yield app


async def slack_member(app: App, user_id: str) -> Member:
    async with app.uow(read_only=True) as uow:
        found = await uow.get(IdentityRepository).member_for_account(
            Platform.SLACK, TEAM_ID, user_id
        )
    assert found is not None
    return found


async def test_slack_sell_buy_and_a_checkout_link(slack: SlackHarness, paying: App) -> None:
    app = paying
    await slack.command("/market", 'sell other "Interview rehearsal" 40', user="U1", name="alice")
    await slack.command("/checkin", "", user="U2", name="bob")  # bob joins (and earns 10)
    await fund(app, await slack_member(app, "U2"), 50, "fund:bob")
    await slack.command("/market", "buy 1 thanks", user="U2", name="bob")
    assert await open_escrow(app) == 40
    await slack.command("/credits", "buy small", user="U2", name="bob")
    told = str(slack.api.called("respond")[-3:])
    assert "#1" in told and "https://pay.test/1" in told
    await assert_ledger_sound(app)
