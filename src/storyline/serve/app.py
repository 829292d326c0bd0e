"""The web app: story pages and a JSON API over any :class:`StorySource`.

``create_app(source)`` is all the CLI calls. Pages and the Atom feed are rendered with the
report's Jinja2 templates (autoescape on, no script, a strict CSP header); rendered story
pages are cached by (story id, version), so a story is rendered again only when it changed.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from datetime import UTC, date, datetime, time
from typing import Annotated, Any, Literal

from fastapi import FastAPI, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.background import BackgroundTask

from storyline.model import Article, Report, Story
from storyline.report import to_json, to_markdown
from storyline.report.html import render, story_page, to_html
from storyline.report.outlet_labels import OutletLabels
from storyline.serve.articles import ArticleIn, IsoDateTime, PostBody, to_articles
from storyline.serve.security import LimitAndHarden, token_matches
from storyline.serve.source import ArticleResult, StoryPage, StorySource
from storyline.version import __version__

StoryId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.-]{1,80}$", description="A story id")]
ArticleId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.-]{1,80}$", description="An article id")]
PAGE_SIZE = 20
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


class PageCache:
    """A small thread-safe LRU of rendered pages."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._pages: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> str | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple[str, str], page: str) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)


class Message(BaseModel):
    detail: str


class Problem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class Problems(BaseModel):
    detail: list[Problem]


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Message}}
POST_BODY: TypeAdapter[Any] = TypeAdapter(PostBody)


def _page_date(value: str | None) -> tuple[datetime | None, str]:
    """A page's date filter (an ISO date or datetime, "" from an empty date box). A page shows
    what it could not read instead of failing: (the moment, a notice)."""
    if not value:
        return None, ""
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time.min), ""
        return datetime.fromisoformat(value), ""
    except ValueError:
        return None, f"“{value}” is not a date (YYYY-MM-DD); the date filter is off."


def create_app(
    source: StorySource,
    *,
    token: str | None = None,
    outlet_labels: OutletLabels | None = None,
    max_body_bytes: int = 2_000_000,
    max_articles: int = 200,
    cache_size: int = 4096,
) -> FastAPI:
    """The app over ``source``. With ``token`` set, ``POST /articles`` needs
    ``Authorization: Bearer <token>`` (the CLI requires one when bound beyond loopback)."""
    app = FastAPI(
        title="storyline",
        version=__version__,
        description="Stories built from many news sources: cited summaries and comparisons.",
        docs_url=None,  # FastAPI's Swagger UI loads from a CDN; /docs is our own page instead
        redoc_url=None,
    )
    app.state.source = source
    cache = PageCache(cache_size)

    def story_or_404(story_id: str) -> Story:
        story = source.get_story(story_id)
        if story is None:
            raise HTTPException(404, f"no story with id {story_id!r}")
        return story

    def rendered_story(story_id: str, since: datetime | None) -> str:
        changes = source.story_changes(story_id, since) if since else None
        version = source.story_version(story_id)
        if version is None:
            raise HTTPException(404, f"no story with id {story_id!r}")
        key = (story_id, version)
        if changes is None and (page := cache.get(key)) is not None:
            return page
        story = story_or_404(story_id)
        page = story_page(
            story,
            duplicates=source.story_duplicates(story_id),
            outlet_labels=outlet_labels,
            changes=changes,
            standalone=False,
        )
        if changes is None:
            cache.put(key, page)
        return page

    # ---- pages -------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, tags=["pages"], summary="The story list")
    def list_page(
        q: Annotated[str | None, Query(max_length=200, description="Search words")] = None,
        since: Annotated[str | None, Query(max_length=40, description="ISO date")] = None,
        sort: Literal["recent", "size"] = "recent",
        page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    ) -> HTMLResponse:
        start, notice = _page_date(since)
        result = source.list_stories(
            search=q, since=start, sort=sort, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
        pages = max(1, -(-result.total // PAGE_SIZE))
        html = render(
            "list.html.j2",
            result=result,
            q=q or "",
            since=since or "",
            sort=sort,
            page=page,
            pages=pages,
            read_only=source.read_only,
            notice=notice,
        )
        return HTMLResponse(html)

    @app.get(
        "/story/{story_id}",
        response_class=HTMLResponse,
        tags=["pages"],
        summary="A story's page",
        responses={404: {"description": "No such story", "content": {"text/html": {}}}},
    )
    async def story_html(
        story_id: StoryId,
        since: Annotated[str | None, Query(max_length=40, description="Show changes since")] = None,
    ) -> HTMLResponse:
        # A cached page is served on the event loop (a dict look-up); rendering one that is not
        # cached, or asking the source what changed, goes to the thread pool.
        version = source.story_version(story_id)
        moment = _page_date(since)[0]
        if version is not None and moment is None and (page := cache.get((story_id, version))):
            return HTMLResponse(page)
        if version is None:
            page = render(
                "message.html.j2",
                heading="No such story",
                message=f"There is no story with the id {story_id}.",
            )
            return HTMLResponse(page, status_code=404)
        return HTMLResponse(await run_in_threadpool(rendered_story, story_id, moment))

    @app.get("/docs", response_class=HTMLResponse, tags=["pages"], summary="API reference")
    def docs_page() -> HTMLResponse:
        return HTMLResponse(render("api.html.j2", openapi=app.openapi()))

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)  # no icon, and no 404 in every browser console

    # ---- JSON API ----------------------------------------------------------------------------

    @app.get("/healthz", tags=["api"], summary="Liveness and a story count")
    def healthz() -> dict[str, Any]:
        total = source.list_stories(limit=1).total
        return {
            "status": "ok",
            "stories": total,
            "read_only": source.read_only,
            "version": __version__,
        }

    @app.get("/stories", response_model=StoryPage, tags=["api"], summary="List stories")
    def list_stories(
        search: Annotated[str | None, Query(max_length=200)] = None,
        since: Annotated[
            IsoDateTime | None,
            Query(description="Only stories updated after this ISO 8601 date/time"),
        ] = None,
        sort: Literal["recent", "size"] = "recent",
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = PAGE_SIZE,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    ) -> StoryPage:
        return source.list_stories(
            search=search, since=since, sort=sort, limit=limit, offset=offset
        )

    @app.get(
        "/stories.atom",
        tags=["api"],
        summary="Atom feed of recently updated stories",
        response_class=Response,
        responses={200: {"content": {"application/atom+xml": {}}}},
    )
    def atom(request: Request) -> Response:
        result = source.list_stories(sort="recent", limit=50)
        newest = max((s.updated for s in result.stories if s.updated), default=None)
        feed = render(
            "feed.atom.j2",
            stories=result.stories,
            base=str(request.base_url),
            updated=_atom_time(newest or datetime.now(UTC)),
            atom_time=_atom_time,
        )
        return Response(feed, media_type="application/atom+xml; charset=utf-8")

    @app.get(
        "/stories/{story_id}",
        response_model=Story,
        tags=["api"],
        summary="One story",
        responses=NOT_FOUND,
    )
    def get_story(story_id: StoryId) -> Story:
        story = story_or_404(story_id)
        return story.model_copy(update={"articles": [_aware(a) for a in story.articles]})

    @app.get(
        "/stories/{story_id}/digest",
        tags=["api"],
        summary="A story as a digest",
        response_class=Response,
        responses={
            200: {"content": {"application/json": {}, "text/markdown": {}, "text/html": {}}},
            404: {"model": Message},
        },
    )
    def digest(story_id: StoryId, format: Literal["json", "md", "html"] = "json") -> Response:
        story = story_or_404(story_id)
        report = Report(
            stories=[story], duplicates=source.story_duplicates(story_id), version=__version__
        )
        if format == "md":
            return PlainTextResponse(to_markdown(report), media_type="text/markdown")
        if format == "html":
            return HTMLResponse(to_html(report, outlet_labels=outlet_labels))
        return Response(to_json(report), media_type="application/json")

    @app.get(
        "/articles/{article_id}",
        response_model=Article,
        tags=["api"],
        summary="One article",
        responses=NOT_FOUND,
    )
    def get_article(article_id: ArticleId) -> Article:
        article = source.get_article(article_id)
        if article is None:
            raise HTTPException(404, f"no article with id {article_id!r}")
        return _aware(article)

    @app.post(
        "/articles",
        response_model=list[ArticleResult],
        tags=["api"],
        summary="Add one article or many",
        responses={
            400: {"description": "The body is not JSON", "model": Message},
            401: {"description": "A token is needed", "model": Message},
            403: {"description": "Wrong token", "model": Message},
            405: {"description": "The server is read-only", "model": Message},
            413: {"description": "Body over the size limit", "model": Message},
            422: {
                "description": "An article is malformed (the field is named), or too many",
                "model": Problems,
            },
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/PostBody"}}
                },
            }
        },
    )
    async def post_articles(request: Request) -> JSONResponse:
        if source.read_only:
            return JSONResponse(
                {
                    "detail": "this server is read-only (it serves a folder; use a store to add "
                    "articles)"
                },
                status_code=405,
                headers={"Allow": "GET, HEAD"},
            )
        if token is not None:
            given = request.headers.get("authorization", "")
            if not given:
                return JSONResponse(
                    {"detail": "this server needs a token: Authorization: Bearer <token>"},
                    status_code=401,
                )
            if not token_matches(given.removeprefix("Bearer ").strip(), token):
                return JSONResponse({"detail": "wrong token"}, status_code=403)
        raw = await request.body()
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            return JSONResponse({"detail": f"the body is not valid JSON: {error}"}, status_code=400)
        try:
            body = POST_BODY.validate_python(data)
        except ValidationError as error:
            problems = [
                {"loc": list(p["loc"]), "msg": p["msg"], "type": p["type"]}
                for p in error.errors(include_url=False, include_input=False)
            ]
            return JSONResponse({"detail": problems}, status_code=422)
        items = body if isinstance(body, list) else getattr(body, "articles", [body])
        if not items:
            problem = {"loc": ["body"], "msg": "no article in the body", "type": "too_short"}
            return JSONResponse({"detail": [problem]}, status_code=422)
        if len(items) > max_articles:
            problem = {
                "loc": ["body"],
                "msg": f"{len(items)} articles in one request; at most {max_articles}",
                "type": "too_long",
            }
            return JSONResponse({"detail": [problem]}, status_code=422)
        # A store may cluster and write to disk: off the event loop.
        results = await run_in_threadpool(source.add_articles, to_articles(items))
        # The touched stories' summaries and comparisons are computed after the answer is sent
        # (Starlette runs a sync background task in its thread pool), so a POST does not wait
        # for whole digests; a page asked for before that computes its story itself.
        touched = sorted({r.story_id for r in results if r.story_id})
        task = BackgroundTask(source.refresh_stories, touched) if touched else None
        return JSONResponse([r.model_dump(mode="json") for r in results], background=task)

    _document_post_body(app, max_articles)
    app.add_middleware(LimitAndHarden, max_body_bytes=max_body_bytes)
    return app


def _aware(article: Article) -> Article:
    """RFC 3339 (which OpenAPI's date-time is) needs an offset: a date with none is UTC."""
    if article.published is None or article.published.tzinfo is not None:
        return article
    return article.model_copy(update={"published": article.published.replace(tzinfo=UTC)})


def _atom_time(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _document_post_body(app: FastAPI, max_articles: int) -> None:
    """The POST body is parsed by hand (so that read-only and token checks come first and bad
    JSON gets a 400 naming the problem); its schema still goes into the OpenAPI document."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        body = TypeAdapter(PostBody).json_schema(ref_template="#/components/schemas/{model}")
        components.update(body.pop("$defs", {}))
        # The article cap of this app, so that clients (and schemathesis) know it.
        for variant in body.get("anyOf", []):
            if variant.get("type") == "array":
                variant["maxItems"] = max_articles
        batch = components.get("ArticlesBatch", {}).get("properties", {}).get("articles", {})
        if batch:
            batch["maxItems"] = max_articles
        components["PostBody"] = body
        components.setdefault(
            "ArticleIn", ArticleIn.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
