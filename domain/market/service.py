"""Selling services for points: listings, orders paid into escrow, disputes and ratings."""

from __future__ import annotations

from datetime import timedelta

from domain.core.clock import Clock
from domain.core.errors import MemberLockedError, PermissionDeniedError
from domain.core.ids import MemberId
from domain.core.timers import Timer, TimerRepository
from domain.core.uow import UnitOfWork
from domain.identity.model import Member
from domain.market.activities import OrderCompleted
from domain.market.catalog import Catalog
from domain.market.config import MarketSection
from domain.market.errors import (
    CannotAffordError,
    ListingUnavailableError,
    NotPartyError,
    OrderNotFoundError,
    OrderStateError,
    OwnListingError,
    SoldOutError,
)
from domain.market.model import (
    Decision,
    ListingId,
    ListingStatus,
    Order,
    OrderId,
    OrderStatus,
)
from domain.market.repository import MarketRepository
from domain.points.errors import InsufficientPointsError
from domain.points.escrow import EscrowService, HoldId

ACCEPT_DUE = "market.accept_due"
CONFIRM_DUE = "market.confirm_due"
_S = OrderStatus


def _timer_key(order_id: OrderId) -> str:
    return f"order:{order_id}"


class MarketService:
    """Run the order life cycle; every step is a conditional status move, applied once.

    Points move only through `EscrowService`: the price is held when the order
    is placed and released, refunded or split when it ends, each with a key
    fixed by the step, so a double click or a timer racing a member pays once.
    """

    def __init__(
        self, clock: Clock, config: MarketSection, escrow: EscrowService, catalog: Catalog
    ) -> None:
        self._clock = clock
        self._cfg = config
        self._escrow = escrow
        self._catalog = catalog

    # -- orders ----------------------------------------------------------------

    async def buy(
        self, uow: UnitOfWork, buyer: Member, listing_id: ListingId, *, note: str | None, key: str
    ) -> Order:
        """Place an order: take a slot, hold the price in escrow, start the seller's deadline.

        Raises:
            ListingNotFoundError, OwnListingError, ListingUnavailableError,
            MemberLockedError, SoldOutError (every slot has an open order),
            CannotAffordError (the unit of work must roll back).
        """
        repo = uow.get(MarketRepository)
        listing = await self._catalog.listing(uow, buyer, listing_id)
        if listing.seller_id == buyer.id:
            raise OwnListingError()
        if listing.status is not ListingStatus.ACTIVE:
            raise ListingUnavailableError(id=listing_id, status=listing.status)
        if buyer.is_locked:
            raise MemberLockedError(name=buyer.display_name, reason=buyer.locked_reason)
        # The database counts the slot (a conditional UPDATE): of many buyers
        # racing for the last slot exactly one gets past this line.
        if not await repo.take_slot(listing_id):
            raise SoldOutError(id=listing_id, slots=listing.slots)
        try:
            hold = await self._escrow.hold(
                uow,
                buyer,
                listing.price,
                purpose="market",
                key=f"market:{key}",
                reason=listing.title[:100],
            )
        except InsufficientPointsError as err:  # the ledger's refusal, in the buyer's words
            balance = int(err.params.get("balance", 0))
            raise CannotAffordError(balance=balance, price=listing.price, id=listing_id) from None
        now = self._clock.now()
        order_id = await repo.add_order(listing, buyer.id, int(hold.id), note, now)
        await uow.get(TimerRepository).schedule(
            Timer(
                buyer.community_id,
                ACCEPT_DUE,
                _timer_key(order_id),
                now + timedelta(days=self._cfg.accept_days),
            ),
            now,
        )
        return await self._order(uow, buyer, order_id)

    async def order(self, uow: UnitOfWork, member: Member, order_id: OrderId) -> Order:
        """An order the member is a party to (moderators see every order).

        Raises: OrderNotFoundError.
        """
        return await self._order(uow, member, order_id)

    async def order_for_moderator(
        self, uow: UnitOfWork, moderator: Member, order_id: OrderId
    ) -> Order:
        """Any order of the community (the caller checked the moderator's role).

        Raises: OrderNotFoundError.
        """
        return await self._order(uow, moderator, order_id, moderator=True)

    async def accept(self, uow: UnitOfWork, seller: Member, order_id: OrderId) -> Order:
        """Raises: OrderNotFoundError, NotPartyError, OrderStateError."""
        order = await self._party(uow, seller, order_id, seller=True)
        await self._move(uow, order, _S.ACCEPTED, (_S.REQUESTED,), "accept")
        await uow.get(TimerRepository).cancel(ACCEPT_DUE, _timer_key(order_id))
        return await self._order(uow, seller, order_id)

    async def decline(self, uow: UnitOfWork, seller: Member, order_id: OrderId) -> Order:
        """Say no to a requested order: the buyer's points come back.

        Raises: OrderNotFoundError, NotPartyError, OrderStateError.
        """
        order = await self._party(uow, seller, order_id, seller=True)
        await self._move(uow, order, _S.DECLINED, (_S.REQUESTED,), "decline")
        await uow.get(TimerRepository).cancel(ACCEPT_DUE, _timer_key(order_id))
        await self._escrow.refund(uow, HoldId(order.hold_id), key="decline", actor_id=seller.id)
        await uow.get(MarketRepository).free_slot(order.listing_id)
        return await self._order(uow, seller, order_id)

    async def delivered(self, uow: UnitOfWork, seller: Member, order_id: OrderId) -> Order:
        """The seller says the work is done; the buyer's confirmation deadline starts.

        Raises: OrderNotFoundError, NotPartyError, OrderStateError.
        """
        order = await self._party(uow, seller, order_id, seller=True)
        await self._move(uow, order, _S.DELIVERED, (_S.ACCEPTED,), "deliver")
        now = self._clock.now()
        await uow.get(TimerRepository).schedule(
            Timer(
                order.community_id,
                CONFIRM_DUE,
                _timer_key(order_id),
                now + timedelta(days=self._cfg.confirm_days),
            ),
            now,
        )
        return await self._order(uow, seller, order_id)

    async def confirm(self, uow: UnitOfWork, buyer: Member, order_id: OrderId) -> Order:
        """The buyer is satisfied: the escrow goes to the seller minus the community fee.

        Raises: OrderNotFoundError, NotPartyError, OrderStateError.
        """
        order = await self._party(uow, buyer, order_id, seller=False)
        await self._complete(uow, order, (_S.ACCEPTED, _S.DELIVERED), buyer.id)
        return await self._order(uow, buyer, order_id)

    async def dispute(
        self, uow: UnitOfWork, buyer: Member, order_id: OrderId, reason: str
    ) -> Order:
        """Freeze the escrow until a moderator decides; the deadlines stop.

        Raises: OrderNotFoundError, NotPartyError, OrderStateError.
        """
        order = await self._party(uow, buyer, order_id, seller=False)
        await self._move(
            uow,
            order,
            _S.DISPUTED,
            (_S.REQUESTED, _S.ACCEPTED, _S.DELIVERED),
            "dispute",
            dispute_reason=reason.strip()[:500],
        )
        timers = uow.get(TimerRepository)
        await timers.cancel(ACCEPT_DUE, _timer_key(order_id))
        await timers.cancel(CONFIRM_DUE, _timer_key(order_id))
        return await self._order(uow, buyer, order_id)

    async def resolve(
        self,
        uow: UnitOfWork,
        moderator: Member,
        order_id: OrderId,
        decision: Decision,
        reason: str,
        *,
        seller_percent: int = 50,
    ) -> Order:
        """A moderator's ruling on a dispute: refund, release, or split by percentage.

        Raises:
            OrderNotFoundError, OrderStateError (not disputed, or decided already),
            PermissionDeniedError (a party to the order may not judge it).
        """
        order = await self._order(uow, moderator, order_id, moderator=True)
        if moderator.id in (order.buyer_id, order.seller_id):
            raise PermissionDeniedError(command="market resolve")
        to = {
            Decision.REFUND: _S.REFUNDED,
            Decision.RELEASE: _S.COMPLETED,
            Decision.SPLIT: _S.SPLIT,
        }[decision]
        await self._move(
            uow,
            order,
            to,
            (_S.DISPUTED,),
            "resolve",
            decided_by=moderator.id,
            decision_reason=reason.strip()[:500],
        )
        hold = HoldId(order.hold_id)
        if decision is Decision.REFUND:
            await self._escrow.refund(uow, hold, key="ruling", actor_id=moderator.id)
        elif decision is Decision.RELEASE:
            await self._escrow.release(
                uow,
                hold,
                order.seller_id,
                key="ruling",
                fee_percent=self._cfg.fee_percent,
                actor_id=moderator.id,
            )
        else:
            await self._escrow.split(
                uow,
                hold,
                [(order.seller_id, seller_percent), (order.buyer_id, 100 - seller_percent)],
                key="ruling",
                fee_percent=self._cfg.fee_percent,
                actor_id=moderator.id,
            )
        await uow.get(MarketRepository).free_slot(order.listing_id)
        return await self._order(uow, moderator, order_id, moderator=True)

    async def expire(self, uow: UnitOfWork, timer: Timer) -> Order | None:
        """The seller's deadline passed (a durable timer): refund, unless they answered."""
        order = await self._by_timer(uow, timer)
        if order is None or not await uow.get(MarketRepository).move_order(
            order.id, _S.EXPIRED, (_S.REQUESTED,), self._clock.now()
        ):
            return None
        await self._escrow.refund(uow, HoldId(order.hold_id), key="expire")
        await uow.get(MarketRepository).free_slot(order.listing_id)
        return await uow.get(MarketRepository).order(order.community_id, order.id)

    async def auto_release(self, uow: UnitOfWork, timer: Timer) -> Order | None:
        """The buyer's deadline passed after delivery (a durable timer): release to the seller."""
        order = await self._by_timer(uow, timer)
        if order is None or order.status is not _S.DELIVERED:
            return None
        try:
            await self._complete(uow, order, (_S.DELIVERED,), None)
        except OrderStateError:
            return None  # confirmed or disputed meanwhile
        return await uow.get(MarketRepository).order(order.community_id, order.id)

    # -- helpers ---------------------------------------------------------------

    async def _complete(
        self,
        uow: UnitOfWork,
        order: Order,
        allowed: tuple[OrderStatus, ...],
        actor: MemberId | None,
    ) -> None:
        await self._move(uow, order, _S.COMPLETED, allowed, "confirm")
        await uow.get(TimerRepository).cancel(CONFIRM_DUE, _timer_key(order.id))
        await self._escrow.release(
            uow,
            HoldId(order.hold_id),
            order.seller_id,
            key="release",
            fee_percent=self._cfg.fee_percent,
            actor_id=actor,
        )
        await uow.get(MarketRepository).free_slot(order.listing_id)
        uow.record(
            OrderCompleted(
                community_id=order.community_id,
                member_id=order.seller_id,
                key=f"market:order:{order.id}:completed",
                occurred_at=self._clock.now(),
                order_id=int(order.id),
                buyer_id=int(order.buyer_id),
                price=order.price,
            )
        )

    async def _move(
        self,
        uow: UnitOfWork,
        order: Order,
        to: OrderStatus,
        allowed: tuple[OrderStatus, ...],
        action: str,
        *,
        dispute_reason: str | None = None,
        decided_by: MemberId | None = None,
        decision_reason: str | None = None,
    ) -> None:
        moved = await uow.get(MarketRepository).move_order(
            order.id,
            to,
            allowed,
            self._clock.now(),
            dispute_reason=dispute_reason,
            decided_by=decided_by,
            decision_reason=decision_reason,
        )
        if not moved:
            raise OrderStateError(id=order.id, status=order.status, action=action)

    async def _order(
        self, uow: UnitOfWork, member: Member, order_id: OrderId, *, moderator: bool = False
    ) -> Order:
        found = await uow.get(MarketRepository).order(member.community_id, order_id)
        if found is None or not (moderator or member.id in (found.buyer_id, found.seller_id)):
            raise OrderNotFoundError(id=order_id)
        return found

    async def _party(
        self, uow: UnitOfWork, member: Member, order_id: OrderId, *, seller: bool
    ) -> Order:
        order = await self._order(uow, member, order_id)
        if member.id != (order.seller_id if seller else order.buyer_id):
            raise NotPartyError(id=order_id, who="seller" if seller else "buyer")
        return order

    async def _by_timer(self, uow: UnitOfWork, timer: Timer) -> Order | None:
        order_id = OrderId(int(timer.key.removeprefix("order:")))
        return await uow.get(MarketRepository).order(timer.community_id, order_id)
