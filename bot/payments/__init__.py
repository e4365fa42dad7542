"""Stripe behind the domain's `PaymentGateway`, and its webhook on the HTTP surface."""
