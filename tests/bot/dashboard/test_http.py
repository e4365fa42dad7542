"""The dashboard over real HTTP on loopback: sign-in, sessions, CSRF, escaping, headers."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.app import App, build_app
from cogs.kit import Actor, Invocation, Place
from domain.core.clock import FixedClock
from domain.core.config import CommunityConfig
from domain.identity import Platform
from tests.conftest import invoke
from tests.support.dashboard import browser, serve_dashboard, sign_in_link


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found
    return found.group(1)


async def test_a_moderators_link_signs_in_once(app: App) -> None:
    async with serve_dashboard(app) as base, browser() as http:
        link = await sign_in_link(app)
        async with http.get(link, allow_redirects=False) as first:
            assert first.status == 303
            cookie = first.headers["Set-Cookie"]
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
            assert "Secure" not in cookie  # plain HTTP on loopback
            overview = first.headers["Location"]
        async with http.get(base + overview) as page:
            assert page.status == 200
            html = await page.text()
            assert "Guildhall Community" in html
            csp = page.headers["Content-Security-Policy"]
            assert "unsafe-inline" not in csp and "script-src" not in csp
            assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
            assert page.headers["X-Frame-Options"] == "DENY"
            assert page.headers["Referrer-Policy"] == "no-referrer"
            assert page.headers["Cache-Control"] == "no-store"
        async with browser() as other, other.get(link, allow_redirects=False) as again:
            assert again.status == 403  # single use


async def test_an_expired_link_is_refused(app: App, clock: FixedClock) -> None:
    async with serve_dashboard(app), browser() as http:
        link = await sign_in_link(app)
        clock.set(clock.now() + timedelta(minutes=11))
        async with http.get(link, allow_redirects=False) as response:
            assert response.status == 403
            assert "expired" in await response.text()


async def test_a_member_gets_no_link(app: App) -> None:
    async with serve_dashboard(app):
        reply = await invoke(app, "bob", "admin dashboard")
    assert "/dashboard/login" not in reply.text
    assert "moderator" in reply.text.lower()


async def test_pages_need_a_session(app: App) -> None:
    async with serve_dashboard(app) as base, browser() as http:
        for path in ("/", "/members", "/settings", "/p/proposals", "/metrics.json"):
            async with http.get(f"{base}/dashboard/c/1{path}") as response:
                assert response.status == 401, path


async def test_a_session_for_one_community_cannot_open_another(app: App) -> None:
    # A second community: a Slack workspace the bot also serves.
    await app.runner.dispatch(
        Invocation(
            actor=Actor(Platform.SLACK, "T2", "U9", "zoe", is_moderator=True),
            key="other-community",
            place=Place(channel_id="C1"),
            command="checkin",
            community_name="Other",
        )
    )
    async with serve_dashboard(app) as base, browser() as http:
        async with http.get(await sign_in_link(app), allow_redirects=False) as signed_in:
            mine = signed_in.headers["Location"]  # /dashboard/c/<id>/
        other = "/dashboard/c/1/" if mine == "/dashboard/c/2/" else "/dashboard/c/2/"
        async with http.get(base + mine) as own:
            assert own.status == 200
        async with http.get(base + other) as theirs:
            assert theirs.status == 403
            assert "different community" in await theirs.text()
        async with http.get(base + other + "metrics.json") as data:
            assert data.status == 403


async def test_forms_need_the_csrf_token_and_apply_once(app: App) -> None:
    await invoke(app, "ana", "checkin")
    async with serve_dashboard(app) as base, browser() as http:
        await http.get(await sign_in_link(app))
        async with http.get(f"{base}/dashboard/c/1/members/1") as page:
            html = await page.text()
        form = {
            "command": "admin award",
            "member": "id:1",
            "amount": "50",
            "reason": "ran the meetup",
            "nonce": "abcdef0123456789",
        }
        async with http.post(f"{base}/dashboard/c/1/run", data=form) as forged:
            assert forged.status == 403
        assert "**10** points" in (await invoke(app, "ana", "points balance")).text
        for _ in range(2):  # a double click sends the same form twice
            async with http.post(
                f"{base}/dashboard/c/1/run", data={**form, "csrf": _csrf(html)}
            ) as done:
                assert done.status == 200
                assert "ana" in await done.text()
    assert "**60** points" in (await invoke(app, "ana", "points balance")).text


async def test_member_text_is_shown_as_text_everywhere(app: App) -> None:
    evil_name = '"><img src=x onerror=alert(1)>'
    await app.runner.dispatch(
        Invocation(
            actor=Actor(Platform.CONSOLE, "demo", "evil", evil_name),
            key="evil-checkin",
            place=Place(channel_id="console"),
            command="checkin",
        )
    )
    await invoke(app, "ana", "checkin")
    title = "<script>alert(1)</script> better snacks"
    await invoke(app, "ana", "proposal create", f'feature "{title}" "<b>bold</b> claim"')
    job = next(j for j in app.registry.jobs if j.name == "analytics.roll_up")
    await job.handler(app.clock.now())
    async with serve_dashboard(app) as base, browser() as http:
        await http.get(await sign_in_link(app))
        pages = ["/", "/members", "/members/1", "/p/proposals", "/p/leaderboards"]
        for path in pages:
            async with http.get(f"{base}/dashboard/c/1{path}") as response:
                html = await response.text()
                assert response.status == 200, path
                assert "<script>" not in html and "<img src=x" not in html, path
        async with http.get(f"{base}/dashboard/c/1/members") as response:
            assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in await response.text()
        async with http.get(f"{base}/dashboard/c/1/p/proposals") as response:
            assert "&lt;script&gt;alert(1)&lt;/script&gt; better snacks" in await response.text()


async def test_bad_tokens_are_rate_limited(app: App) -> None:
    async with serve_dashboard(app) as base, browser() as http:
        statuses = []
        for i in range(11):
            async with http.get(f"{base}/dashboard/login?token=guess{i}") as response:
                statuses.append(response.status)
        assert statuses == [403] * 10 + [429]


async def test_settings_show_each_value_and_where_it_comes_from(app: App) -> None:
    async with serve_dashboard(app) as base, browser() as http:
        await http.get(await sign_in_link(app))
        async with http.get(f"{base}/dashboard/c/1/settings") as response:
            html = await response.text()
    assert "<code>points.checkin</code></td><td>10</td><td>default</td>" in html


async def test_the_public_leaderboard_is_opt_in(app: App, clock: FixedClock) -> None:
    await invoke(app, "ana", "checkin")
    async with (
        serve_dashboard(app) as base,
        browser() as http,
        http.get(f"{base}/c/guildhall-community/leaderboard") as closed,
    ):
        assert closed.status == 404
    opted_in = CommunityConfig.model_validate({"dashboard": {"public_leaderboard": True}})
    public = await build_app(app.database.url, opted_in, clock=clock, upgrade=False)
    try:
        async with serve_dashboard(public) as base, browser() as http:
            async with http.get(f"{base}/c/guildhall-community/leaderboard") as opened:
                html = await opened.text()
                assert opened.status == 200
                assert "ana — 10" in html
            async with http.get(f"{base}/c/nobody-here/leaderboard") as unknown:
                assert unknown.status == 404
    finally:
        await public.close()


async def test_installed_features_add_their_pages(app: App) -> None:
    async with serve_dashboard(app) as base, browser() as http:
        await http.get(await sign_in_link(app))
        async with http.get(f"{base}/dashboard/c/1/") as overview:
            nav = await overview.text()
        for slug, title in (
            ("events", "Events"),
            ("battles", "Battles"),
            ("mentoring", "Mentoring"),
            ("market", "Marketplace"),
            ("growth", "Growth"),
        ):
            assert f'href="/dashboard/c/1/p/{slug}"' in nav, slug
            async with http.get(f"{base}/dashboard/c/1/p/{slug}") as page:
                html = await page.text()
                assert page.status == 200, slug
                assert f"<h1>{title}</h1>" in html
                assert "went wrong on our side" not in html, slug
        async with http.get(f"{base}/dashboard/c/1/p/market") as page:
            assert 'data-command="market resolve"' in await page.text()  # disputes decided here


async def test_a_past_season_of_any_board_can_be_asked_for(app: App) -> None:
    await invoke(app, "ana", "checkin")
    async with serve_dashboard(app) as base, browser() as http:
        await http.get(await sign_in_link(app))
        async with http.get(f"{base}/dashboard/c/1/p/leaderboards") as page:
            html = await page.text()
        assert 'data-command="leaderboard"' in html
        form = {
            "command": "leaderboard",
            "board": "points",
            "period": "week",
            "season": "2026-W46",
            "nonce": "seasonform0001",
            "csrf": _csrf(html),
        }
        async with http.post(f"{base}/dashboard/c/1/run", data=form) as done:
            shown = await done.text()
        assert "2026-W46" in shown and "went wrong" not in shown
