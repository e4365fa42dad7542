"""Refusals of the marketplace."""

from domain.core.errors import UserFacingError


class ListingNotFoundError(UserFacingError):
    """No such listing in this community (params: id)."""

    code = "market.listing_not_found"


class OrderNotFoundError(UserFacingError):
    """No such order, or not one of the caller's (params: id)."""

    code = "market.order_not_found"


class PriceOutOfBoundsError(UserFacingError):
    """A price outside the community's bounds (params: price, min, max)."""

    code = "market.price_bounds"


class UnknownTypeError(UserFacingError):
    """A listing type not in config (params: type, types)."""

    code = "market.unknown_type"


class OwnListingError(UserFacingError):
    """A seller tried to buy their own listing."""

    code = "market.own_listing"


class ListingUnavailableError(UserFacingError):
    """The listing is paused or closed (params: id, status)."""

    code = "market.listing_unavailable"


class SoldOutError(UserFacingError):
    """Every slot of the listing has an open order (params: id, slots)."""

    code = "market.sold_out"


class NotYourListingError(UserFacingError):
    """Only the seller may change a listing (params: id)."""

    code = "market.not_your_listing"


class OrderStateError(UserFacingError):
    """The order is not in a state that allows this (params: id, status, action)."""

    code = "market.order_state"


class NotPartyError(UserFacingError):
    """Only the buyer or the seller, as the step requires (params: id, who)."""

    code = "market.not_party"


class AlreadyRatedError(UserFacingError):
    """An order is rated once (params: id)."""

    code = "market.already_rated"


class AlreadyRepliedError(UserFacingError):
    """A seller replies to a rating once (params: id)."""

    code = "market.already_replied"


class ListingStatusError(UserFacingError):
    """Pausing a paused listing, resuming a closed one… (params: id, status)."""

    code = "market.listing_status"


class CannotAffordError(UserFacingError):
    """The buyer's balance is below the price (params: balance, price, id)."""

    code = "market.cannot_afford"
