"""Reply → Block Kit: structure, limits, escaping and mentions."""

from __future__ import annotations

import json

from bot.slack.blocks import escape, mrkdwn, render
from bot.slack.emoji import from_slack, to_slack
from cogs.kit import Button, Field, Mention, Reply, Select, SelectOption, Tone, mention_token


def test_escape_neutralises_slack_control_sequences() -> None:
    assert escape("a & b <!channel> <@U1> <https://x|y>") == (
        "a &amp; b &lt;!channel&gt; &lt;@U1&gt; &lt;https://x|y&gt;"
    )
    assert "@channel" not in escape("hey @channel and @Here")


def test_markup_becomes_mrkdwn_and_mention_tokens_become_mentions() -> None:
    ana = Mention(7, "Ana <b>", {"slack": "U7"})
    ghost = Mention(8, "Ghost", {"discord": "123"})
    text = f"**{mention_token(7)}** thanks {mention_token(8)} and {mention_token(9)}"
    assert mrkdwn(text, (ana, ghost)) == "*<@U7>* thanks *@Ghost* and *@unknown*"
    assert mrkdwn(text, (ana, ghost), link=False) == (
        "**@Ana &lt;b&gt;** thanks *@Ghost* and *@unknown*"
    )


def test_reply_renders_header_text_fields_actions_and_context() -> None:
    reply = Reply(
        title="Proposal #12",
        text="Vote **now**",
        fields=(*tuple(Field(f"f{i}", str(i)) for i in range(12)), Field("Long", "x", False)),
        buttons=(Button("For", "proposal.vote:12:for"), Button("Again", "proposal.vote:12:for")),
        select=Select("proposal.pick", (SelectOption("One", "1", "first"),), "Pick"),
        footer="closes soon",
        tone=Tone.SUCCESS,
    )
    message = render(reply)
    kinds = [b["type"] for b in message.blocks]
    assert kinds == ["header", "section", "section", "section", "section", "actions", "context"]
    assert message.blocks[0]["text"]["text"] == "✅ Proposal #12"
    assert message.blocks[1]["text"]["text"] == "Vote *now*"
    assert [len(message.blocks[i]["fields"]) for i in (2, 3)] == [10, 2]
    buttons, select = message.blocks[5]["elements"][:2], message.blocks[5]["elements"][2]
    assert len({b["action_id"] for b in buttons}) == 2  # unique within the message
    assert {b["value"] for b in buttons} == {"proposal.vote:12:for"}
    assert select["type"] == "static_select" and select["options"][0]["value"] == "1"
    assert message.text.startswith("✅ Proposal #12\nVote *now*")


def test_long_text_is_cut_to_slack_limits() -> None:
    message = render(Reply(title="t" * 400, text="x" * 5000, buttons=(Button("b" * 200, "a:1"),)))
    assert len(message.blocks[0]["text"]["text"]) <= 150
    assert len(message.blocks[1]["text"]["text"]) <= 3000
    assert len(message.blocks[2]["elements"][0]["text"]["text"]) <= 75
    assert len(message.text) <= 3000


def test_public_replies_only_notify_when_they_ping() -> None:
    ana = Mention(7, "Ana", {"slack": "U7"})
    quiet = Reply(text=f"{mention_token(7)} checked in", mentions=(ana,), ephemeral=False)
    assert "<@U7>" not in json.dumps(render(quiet).blocks)
    assert "<@U7>" in json.dumps(render(quiet.with_(ping=True)).blocks)
    assert "<@U7>" in render(quiet.with_(ephemeral=True)).text


def test_reaction_names_map_to_rule_emojis() -> None:
    assert from_slack("+1") == from_slack("thumbsup::skin-tone-4") == "👍"
    assert from_slack("party_parrot") == ":party_parrot:"
    assert to_slack("👍") in ("+1", "thumbsup") and to_slack(":party_parrot:") == "party_parrot"
