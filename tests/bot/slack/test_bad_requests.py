"""Bad requests to /slack/events: verified before anything parses them, refused quietly.

Before, an unsigned malformed body reached Bolt's parser first and was answered
500 with an ERROR traceback; a signed interaction without a user enrolled a
member called "None".
"""

from __future__ import annotations

import json
import urllib.parse

import pytest
from sqlalchemy import func, select

from bot.app import App
from storage.identity import AccountRow
from tests.bot.slack.conftest import SlackHarness, payload, sign

FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize(
    ("body", "content_type", "headers"),
    [
        (b"{not json", "application/json", {}),
        (b"\xff\xfe\x00bad", "application/json", {}),
        (b"[1, 2, 3]", "application/json", {}),
        (b"command=%2Fcheckin", FORM, {"X-Slack-Request-Timestamp": "soon"}),
        (b"command=%2Fcheckin", FORM, {"X-Slack-Request-Timestamp": "\u0661\u0662"}),
    ],
    ids=["broken-json", "not-utf8", "json-array", "word-timestamp", "arabic-digits"],
)
async def test_unsigned_malformed_bodies_get_401_and_one_warning(
    slack: SlackHarness,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    content_type: str,
    headers: dict[str, str],
) -> None:
    sent = {"Content-Type": content_type, "X-Slack-Signature": "v0=00", **headers}
    async with slack.http.post(slack.url, data=body, headers=sent) as resp:
        assert resp.status == 401
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and not [r for r in caplog.records if r.levelname == "ERROR"]
    assert slack.api.calls == []


@pytest.mark.parametrize(
    ("text", "content_type"),
    [
        ("[1, 2, 3]", "application/json"),
        ("payload=%5B1%5D", FORM),
        ("payload=%7Bbroken", FORM),
    ],
)
async def test_signed_malformed_bodies_get_400(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, text: str, content_type: str
) -> None:
    answer = await slack.post(text, content_type)
    assert answer.status == 400
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


async def test_a_signed_action_without_a_user_is_refused_and_enrols_nobody(
    slack: SlackHarness, app: App
) -> None:
    data = payload("block_actions.json")
    data.pop("user", None)
    body = urllib.parse.urlencode({"payload": json.dumps(data)})
    headers = {"Content-Type": FORM, **sign(body)}
    async with slack.http.post(slack.url, data=body, headers=headers) as resp:
        assert resp.status == 400
    await slack.adapter.drain()
    async with app.database.reader.connect() as conn:
        accounts = (await conn.execute(select(func.count()).select_from(AccountRow))).scalar()
    assert accounts == 0
