"""The dashboard's request handlers: sign-in, the pages, and running commands from forms.

Every page runs the features' own commands through the `Runner` as the
signed-in moderator (reads) or offers them as forms (writes), so the dashboard
enforces exactly the rules chat does and leaves the same trail.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import aiohttp_jinja2
from aiohttp import web

from bot.dashboard.charts import line_chart
from bot.dashboard.render import command_form, image_src, plain, rich
from bot.dashboard.security import COOKIE, FailedSignIns, set_session_cookie
from cogs.kit import Actor, Invocation, MemberRef, Place, Reply
from domain.analytics import AnalyticsRepository, AnalyticsService
from domain.core.ids import CommunityId, MemberId, parse_id
from domain.dashboard import DashboardAuth, MemberDirectory, SignInRefused, WebSession
from domain.identity import IdentityRepository, Platform

if TYPE_CHECKING:
    from bot.app import App

SEARCH_LIMIT = 50


class Dashboard:
    """Handlers bound to one wired `App`."""

    def __init__(self, app: App, failed: FailedSignIns | None = None) -> None:
        self.app = app
        self.failed = failed or FailedSignIns()
        self.auth = app.ctx.need(DashboardAuth)

    # --- sign-in -------------------------------------------------------------------------

    async def login(self, request: web.Request) -> web.StreamResponse:
        """Redeem a single-use link: set the session cookie and go to the overview."""
        client = request.remote or "unknown"
        if self.failed.blocked(client):
            return _page(request, "refused.html", {"reason": "too_many"}, status=429)
        try:
            async with self.app.uow() as uow:
                session_id, session = await self.auth.redeem(
                    uow, request.query.get("token", ""), self.app.clock.now()
                )
                await uow.commit()
        except SignInRefused:
            self.failed.failed(client)
            return _page(request, "refused.html", {"reason": "link"}, status=403)
        response = web.Response(
            status=303, headers={"Location": f"/dashboard/c/{session.grant.community_id}/"}
        )
        set_session_cookie(response, request, session_id)
        return response

    async def logout(self, request: web.Request) -> web.StreamResponse:
        """End the session (a CSRF-checked POST) and forget the cookie."""
        session = await self._session(request)
        await self._check_csrf(request, session)
        async with self.app.uow() as uow:
            await self.auth.sign_out(uow, request.cookies.get(COOKIE, ""))
            await uow.commit()
        response = _page(request, "refused.html", {"reason": "signed_out"})
        response.del_cookie(COOKIE, path="/dashboard")
        return response

    async def _session(self, request: web.Request) -> WebSession:
        """The request's live session for the community in the URL, or a refusal page."""
        cookie = request.cookies.get(COOKIE)
        session = None
        if cookie:
            async with self.app.uow(read_only=True) as uow:
                session = await self.auth.session(uow, cookie, self.app.clock.now())
        if session is None:
            raise _refusal(request, "signed_out", 401)
        wanted = request.match_info.get("community")
        if wanted is not None and wanted != str(session.grant.community_id):
            raise _refusal(request, "other_community", 403)
        return session

    async def _check_csrf(self, request: web.Request, session: WebSession) -> Mapping[str, Any]:
        form = await request.post()
        if not secrets.compare_digest(str(form.get("csrf", "")), session.csrf):
            raise _refusal(request, "csrf", 403)
        return form

    # --- running commands ----------------------------------------------------------------

    def _actor(self, session: WebSession) -> Actor:
        g = session.grant
        return Actor(
            Platform(g.platform), g.workspace_id, g.user_id, g.display_name, g.is_moderator
        )

    async def run_line(self, session: WebSession, line: str) -> Reply | None:
        """Run a read command line ("leaderboard xp week") as the moderator."""
        words = line.split()
        command, used = self.app.registry.match(words)
        if command is None:
            return None
        return await self.app.runner.dispatch(
            Invocation(
                actor=self._actor(session),
                key="web:" + secrets.token_hex(12),
                place=Place(channel_id="dashboard"),
                command=command.name,
                text=" ".join(words[used:]),
            )
        )

    async def run_form(
        self, session: WebSession, name: str, form: Mapping[str, Any], nonce: str
    ) -> Reply | None:
        """Run a command from a submitted form; the form's nonce makes a resubmit apply once."""
        command = self.app.registry.command(name)
        if command is None:
            return None
        options: dict[str, Any] = {}
        for option in command.options:
            raw = str(form.get(option.name, "")).strip()
            if not raw:
                continue
            if raw.startswith("id:") and (member_id := parse_id(raw[3:])) is not None:
                options[option.name] = MemberRef("", raw, member_id=member_id)
            else:
                options[option.name] = raw
        return await self.app.runner.dispatch(
            Invocation(
                actor=self._actor(session),
                key="web:" + nonce,
                place=Place(channel_id="dashboard"),
                command=command.name,
                options=options,
            )
        )

    async def run(self, request: web.Request) -> web.StreamResponse:
        """POST a command form; show the command's reply."""
        session = await self._session(request)
        form = await self._check_csrf(request, session)
        nonce = str(form.get("nonce", ""))
        if not (nonce.isascii() and nonce.isalnum() and 8 <= len(nonce) <= 64):
            raise _refusal(request, "csrf", 403)
        reply = await self.run_form(session, str(form.get("command", "")), form, nonce)
        back = str(form.get("back", ""))
        if not back.startswith(f"/dashboard/c/{session.grant.community_id}/"):
            back = f"/dashboard/c/{session.grant.community_id}/"
        return self._render(request, session, "result.html", {"reply": _view(reply), "back": back})

    # --- pages -----------------------------------------------------------------------------

    def _render(
        self, request: web.Request, session: WebSession, template: str, context: dict[str, Any]
    ) -> web.Response:
        base = f"/dashboard/c/{session.grant.community_id}"
        nav = [("Overview", f"{base}/"), ("Members", f"{base}/members")]
        nav += [
            (p.title, f"{base}/p/{p.slug}") for p in self.app.registry.pages if p.slug != "members"
        ]
        nav.append(("Settings", f"{base}/settings"))
        context = {
            "session": session,
            "base": base,
            "nav": nav,
            "path": request.path,
            "nonce": secrets.token_hex(12),
            **context,
        }
        return _page(request, template, context)

    async def overview(self, request: web.Request) -> web.StreamResponse:
        """Headline numbers and a chart per metric over 90 days."""
        session = await self._session(request)
        community_id = session.grant.community_id
        async with self.app.uow(read_only=True) as uow:
            community = await uow.get(IdentityRepository).get_community(community_id)
            assert community is not None
            headline = await self.app.ctx.need(AnalyticsService).headline(
                uow, community, self.app.clock.now(), 90
            )
            daily = await uow.get(AnalyticsRepository).daily(
                community_id, headline.first_day, headline.last_day
            )
            cohorts = await uow.get(AnalyticsRepository).retention(
                community_id, headline.first_day, headline.last_day
            )
        series = {
            "Daily active members": [(d.day, float(d.dau)) for d in daily],
            "Weekly active members": [(d.day, float(d.wau)) for d in daily],
            "Monthly active members": [(d.day, float(d.mau)) for d in daily],
            "Check-ins": [(d.day, float(d.checkins)) for d in daily],
            "Points issued": [(d.day, float(d.points_issued)) for d in daily],
            "Points spent": [(d.day, float(d.points_spent)) for d in daily],
            "Votes": [(d.day, float(d.votes)) for d in daily],
            "New members": [(d.day, float(d.new_members)) for d in daily],
        }
        charts = [line_chart(title, points) for title, points in series.items()]
        charts.append(
            line_chart("Stickiness (DAU/MAU)", [(d.day, d.stickiness) for d in daily], percent=True)
        )
        return self._render(
            request,
            session,
            "overview.html",
            {"community": community, "h": headline, "charts": charts, "cohorts": cohorts[-30:]},
        )

    async def metrics_json(self, request: web.Request) -> web.StreamResponse:
        """The daily numbers as JSON, for moderators' own tools."""
        session = await self._session(request)
        async with self.app.uow(read_only=True) as uow:
            community = await uow.get(IdentityRepository).get_community(session.grant.community_id)
            assert community is not None
            headline = await self.app.ctx.need(AnalyticsService).headline(
                uow, community, self.app.clock.now(), 90
            )
            daily = await uow.get(AnalyticsRepository).daily(
                community.id, headline.first_day, headline.last_day
            )
        rows = [
            {
                "day": d.day.isoformat(),
                "members": d.members,
                "new_members": d.new_members,
                "dau": d.dau,
                "wau": d.wau,
                "mau": d.mau,
                "stickiness": round(d.stickiness, 4),
                "checkins": d.checkins,
                "votes": d.votes,
                "gifts": d.gifts,
                "quests": d.quests,
                "points_issued": d.points_issued,
                "points_spent": d.points_spent,
            }
            for d in daily
        ]
        return web.json_response({"days": rows}, headers={"Cache-Control": "no-store"})

    async def members(self, request: web.Request) -> web.StreamResponse:
        """Search members by name."""
        session = await self._session(request)
        query = request.query.get("q", "")[:100]
        async with self.app.uow(read_only=True) as uow:
            found = await uow.get(MemberDirectory).search(
                session.grant.community_id, query, SEARCH_LIMIT
            )
        return self._render(request, session, "members.html", {"q": query, "members": found})

    async def member(self, request: web.Request) -> web.StreamResponse:
        """One member: their profile and ledger, and the moderator's forms for them."""
        session = await self._session(request)
        raw = request.match_info["member"]
        member_id = parse_id(raw)
        if member_id is None:
            raise web.HTTPNotFound()
        async with self.app.uow(read_only=True) as uow:
            member = await uow.get(IdentityRepository).get_member(MemberId(member_id))
        if member is None or member.community_id != session.grant.community_id:
            raise web.HTTPNotFound()
        ref = f"id:{member.id}"
        replies = []
        for name in ("profile", "points history"):
            if self.app.registry.command(name) is not None:
                reply = await self.run_form(session, name, {"member": ref}, secrets.token_hex(12))
                replies.append(_view(reply))
        forms = [
            command_form(command, {"member": ref})
            for name in ("admin award", "admin revoke", "admin lock", "admin unlock")
            if (command := self.app.registry.command(name)) is not None
        ]
        return self._render(
            request,
            session,
            "member.html",
            {"member": member, "replies": replies, "forms": forms},
        )

    async def page(self, request: web.Request) -> web.StreamResponse:
        """A page a feature declared: its read commands' replies and its forms."""
        session = await self._session(request)
        page = next(
            (p for p in self.app.registry.pages if p.slug == request.match_info["slug"]), None
        )
        if page is None:
            raise web.HTTPNotFound()
        replies = [_view(await self.run_line(session, line)) for line in page.shows]
        forms = [
            command_form(command)
            for name in page.forms
            if (command := self.app.registry.command(name)) is not None
        ]
        return self._render(
            request,
            session,
            "page.html",
            {"page": page, "replies": [r for r in replies if r], "forms": forms},
        )

    async def settings(self, request: web.Request) -> web.StreamResponse:
        """The effective configuration, read-only, with where each value comes from."""
        session = await self._session(request)
        rows = list(_config_rows(self.app.config))
        return self._render(request, session, "settings.html", {"rows": rows})

    # --- the public page -------------------------------------------------------------------

    async def public_leaderboard(self, request: web.Request) -> web.StreamResponse:
        """The opt-in public leaderboard: names and scores only."""
        from bot.dashboard.public import public_boards

        return await public_boards(self.app, request)


def _view(reply: Reply | None) -> dict[str, Any] | None:
    if reply is None:
        return None
    return {
        "title": plain(reply.title or "", reply),
        "text": rich(reply.text, reply),
        "fields": [(plain(f.name, reply), rich(f.value, reply)) for f in reply.fields],
        "footer": rich(reply.footer or "", reply),
        "image": image_src(reply),
        "tone": str(reply.tone),
    }


def _config_rows(section: Any, prefix: str = "") -> Any:
    """(key, value, source) for every setting, depth first."""
    from pydantic import BaseModel

    for name in type(section).model_fields:
        value = getattr(section, name)
        key = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            yield from _config_rows(value, key + ".")
            continue
        source = "config file" if name in section.model_fields_set else "default"
        yield key, value, source


def _page(
    request: web.Request, template: str, context: dict[str, Any], status: int = 200
) -> web.Response:
    response = aiohttp_jinja2.render_template(template, request, context)
    response.set_status(status)
    return response


_REFUSALS: dict[int, type[web.HTTPException]] = {
    401: web.HTTPUnauthorized,
    403: web.HTTPForbidden,
}


def _refusal(request: web.Request, reason: str, status: int) -> web.HTTPException:
    response = aiohttp_jinja2.render_template("refused.html", request, {"reason": reason})
    return _REFUSALS[status](text=response.text, content_type="text/html")


__all__ = ["CommunityId", "Dashboard"]
