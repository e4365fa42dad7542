"""Referrals on Discord: /invite makes a real invite; a join through it is attributed."""

from __future__ import annotations

import asyncio

from bot.app import App
from domain.identity import IdentityRepository, Platform
from domain.referrals import InviteMaker, Referral, ReferralRepository
from tests.bot.discord.test_interactions import callback_for, embed
from tests.support.discord import running_bot


async def _referral_of(app: App, guild_id: str, user_id: str) -> Referral | None:
    async with app.uow(read_only=True) as uow:
        identity = uow.get(IdentityRepository)
        community = await identity.community_for_workspace(Platform.DISCORD, guild_id)
        member = await identity.member_for_account(Platform.DISCORD, guild_id, user_id)
        if member is None or community is None:
            return None
        pending = await uow.get(ReferralRepository).pending(community.id)
        return next((r for r in pending if r.referred_id == member.id), None)


async def test_invite_is_a_real_invite_and_a_join_through_it_is_attributed(app: App) -> None:
    async with running_bot(app, members_intent=True) as (fake, client):
        app.ctx.provide(InviteMaker, client.invites)  # type: ignore[type-abstract]  # as run.py
        guild = fake.guild["id"]
        asked = fake.slash("invite")
        await fake.dispatch("INTERACTION_CREATE", asked)
        answer = await fake.wait_for(callback_for(asked))
        assert "https://discord.gg/inv1" in embed(answer)["description"]
        assert fake.calls("POST", r"/channels/\d+/invites")  # made through Discord's API
        # Someone else joins without an invite: nothing is attributed.
        reads = len(fake.calls("GET", rf"/guilds/{guild}/invites"))
        await fake.member_joins("700000000000000001", "walkin", invite=None)
        # Handled once its use counts were read (two joins at the same instant are
        # indistinguishable to this technique: Discord does not name the invite).
        await fake.wait_for(lambda _: len(fake.calls("GET", rf"/guilds/{guild}/invites")) > reads)
        # A newcomer joins through the member's invite.
        await fake.member_joins("700000000000000002", "newbie", invite="inv1")
        async with asyncio.timeout(10):
            # The runner's transaction is the only signal that the join was handled.
            while await _referral_of(app, guild, "700000000000000002") is None:  # noqa: ASYNC110
                await asyncio.sleep(0.02)
        assert await _referral_of(app, guild, "700000000000000001") is None
