"""Check a Slack HTTP request before anything reads it: its signature, then its shape."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping

from slack_sdk.signature import SignatureVerifier


class RequestCheck:
    """Slack's v0 signature over the raw body, made within the last five minutes."""

    def __init__(self, signing_secret: str) -> None:
        self._verifier = SignatureVerifier(signing_secret)

    def signed(self, body: bytes, headers: Mapping[str, str]) -> bool:
        timestamp = headers.get("X-Slack-Request-Timestamp", "")
        signature = headers.get("X-Slack-Signature", "")
        if not timestamp.isascii() or not timestamp.isdigit() or not signature:
            return False
        try:
            return self._verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
        except (ValueError, UnicodeDecodeError):
            return False


def malformed(body: bytes, content_type: str) -> str | None:
    """What is wrong with a signed request's body, or None when Bolt may read it."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8"
    try:
        if content_type == "application/json":
            data = json.loads(text)
            return None if isinstance(data, dict) else "JSON that is not an object"
        form = urllib.parse.parse_qs(text, strict_parsing=bool(text))
    except ValueError as err:
        return f"unreadable body ({type(err).__name__})"
    if "payload" not in form:
        return None  # a slash command: plain form fields
    try:
        payload = json.loads(form["payload"][0])
    except ValueError:
        return "payload is not JSON"
    if not isinstance(payload, dict):
        return "payload is not an object"
    user = payload.get("user")
    if not isinstance(user, dict) or not user.get("id"):
        return f"{payload.get('type', 'interaction')} without a user"
    return None
