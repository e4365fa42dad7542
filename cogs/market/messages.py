"""Words of the marketplace."""

MESSAGES = {
    "market.button_out_of_date": "that button is out of date",
    # refusals
    "market.listing_not_found": "I couldn't find listing **#{id}** here.",
    "market.order_not_found": "I couldn't find order **#{id}** among your orders.",
    "market.price_bounds": "Prices here are from **{min}** to **{max}** points (you asked"
    " {price}).",
    "market.unknown_type": "**{type}** is not a listing type here. Choose one of: {types}.",
    "market.cannot_afford": "Listing **#{id}** costs **{price}** points and you have **{balance}**."
    " Earn or buy more (`/credits buy`), then try again.",
    "market.own_listing": "That's your own listing — you can't buy it.",
    "market.listing_unavailable": "Listing **#{id}** is {status} and takes no orders right now.",
    "market.sold_out": "Every slot of listing **#{id}** is taken ({slots} at a time). Try again"
    " when an order finishes.",
    "market.not_your_listing": "Only the seller can change listing **#{id}**.",
    "market.order_state": "Order **#{id}** is {status}, so you can't {action} it now.",
    "market.not_party": "Only the {who} of order **#{id}** can do that.",
    "market.already_rated": "You already rated order **#{id}**.",
    "market.already_replied": "You already replied to the rating of order **#{id}**.",
    "market.listing_status": "Listing **#{id}** is {status}; nothing changed.",
    # listings
    "market.listed": "Listed **#{id} {title}** for {price}. Members can buy it with"
    " `/market buy {id}`.",
    "market.listing_title": "#{id} {title}",
    "market.field_price": "Price",
    "market.field_type": "Type",
    "market.field_seller": "Seller",
    "market.field_slots": "Free slots",
    "market.field_delivery": "Delivery",
    "market.field_rating": "Rating",
    "market.field_status": "Status",
    "market.delivery_days": "{n} day|{n} days",
    "market.rating_value": "★ {average} ({count})",
    "market.rating_none": "no ratings yet",
    "market.slots_value": "{free} of {slots}",
    "market.buy_button": "Buy for {price}",
    "market.paused": "Listing **#{id}** is paused; `/market resume {id}` opens it again.",
    "market.resumed": "Listing **#{id}** takes orders again.",
    "market.closed": "Listing **#{id}** is closed. Open orders go on until they finish.",
    "market.browse_title": "Marketplace",
    "market.browse_empty": "Nothing for sale matches. Sell something with `/market sell`!",
    "market.browse_line": "**#{id}** {title} — {price} · {type} · {rating}",
    "market.browse_footer": "Page {page} of {pages} · `/market show <id>` for details",
    "market.newer": "◀ Previous",
    "market.older": "Next ▶",
    "market.mine_title": "Your marketplace",
    "market.mine_listings": "Your listings",
    "market.mine_orders": "Your orders",
    "market.mine_none": "none yet",
    "market.mine_listing": "**#{id}** {title} — {price} · {status} · {open} open",
    "market.mine_order": "Order **#{id}** {title} — {price} · {status} · you {role}",
    "market.role_buyer": "bought",
    "market.role_seller": "sell",
    "market.recent_ratings": "Recent ratings",
    "market.rating_line": "{stars} {comment}",
    "market.rating_reply": "  ↳ seller: {reply}",
    # orders
    "market.order_title": "Order #{id}: {title}",
    "market.ordered": "Order **#{id}** placed: {price} are held in escrow until you confirm"
    " the work. {seller} has {days} to accept.",
    "market.field_buyer": "Buyer",
    "market.field_note": "Note",
    "market.field_dispute": "Dispute",
    "market.field_decision": "Decision",
    "market.new_order": "{buyer} ordered **{title}** (order **#{id}**, {price} in escrow)."
    " Accept or decline within {days}.",
    "market.accept": "Accept",
    "market.decline": "Decline",
    "market.delivered_button": "Delivered",
    "market.confirm_button": "Confirm",
    "market.dispute_hint": "Not right? `/market dispute {id} <reason>`.",
    "market.accepted": "You accepted order **#{id}**. Press **Delivered** (or `/market"
    " delivered {id}`) when the work is done.",
    "market.accepted_dm": "{seller} accepted your order **#{id}** ({title}).",
    "market.declined": "You declined order **#{id}**; the buyer's {price} went back to them.",
    "market.declined_dm": "{seller} declined your order **#{id}** ({title}); your {price} are"
    " back.",
    "market.expired_dm": "Order **#{id}** ({title}) was not accepted in time; your {price} are"
    " back.",
    "market.expired_seller_dm": "Order **#{id}** ({title}) expired unanswered; the buyer was"
    " refunded.",
    "market.delivered": "Marked order **#{id}** delivered. The buyer has {days} to confirm;"
    " then the escrow is released to you.",
    "market.delivered_dm": "{seller} delivered order **#{id}** ({title}). Confirm to release the"
    " escrow, or dispute it within {days}.",
    "market.confirmed": "Order **#{id}** confirmed: {paid} released to {seller}. Rate it with"
    " `/market rate {id} <1-5>`.",
    "market.confirmed_dm": "{buyer} confirmed order **#{id}** ({title}): {paid} are yours.",
    "market.auto_released_dm": "Order **#{id}** ({title}) was not confirmed in time, so the"
    " escrow was released: {paid} to the seller.",
    "market.fee_note": " (community fee: {fee})",
    "market.disputed": "Order **#{id}** is disputed: the escrow is frozen and the moderators"
    " will decide.",
    "market.disputed_dm": "{buyer} disputed order **#{id}** ({title}): “{reason}”. The"
    " moderators will decide.",
    "market.dispute_card": "Dispute on order **#{id}** ({title}, {price} in escrow): buyer"
    " {buyer}, seller {seller}. Reason: “{reason}”.",
    "market.refund_button": "Refund",
    "market.release_button": "Release",
    "market.split_button": "Split 50%",
    "market.ruled": "Order **#{id}**: {decision} — “{reason}” ({moderator}).",
    "market.decision.refund": "refunded to the buyer",
    "market.decision.release": "released to the seller",
    "market.decision.split": "split {percent}% to the seller, the rest to the buyer",
    "market.ruling_by_button": "decided on the dispute card",
    "market.rated": "Thanks! You rated order **#{id}** {stars}.",
    "market.rated_dm": "{buyer} rated order **#{id}** ({title}) {stars}. Reply once with"
    " `/market reply {id} <text>`.",
    "market.replied": "Your reply to the rating of order **#{id}** is public now.",
    "market.status.requested": "waiting for the seller",
    "market.status.accepted": "in progress",
    "market.status.delivered": "delivered, waiting for the buyer",
    "market.status.disputed": "disputed",
    "market.status.completed": "completed",
    "market.status.declined": "declined",
    "market.status.expired": "expired",
    "market.status.refunded": "refunded",
    "market.status.split": "split by a moderator",
    "market.listing.active": "open",
    "market.listing.paused": "paused",
    "market.listing.closed": "closed",
}
