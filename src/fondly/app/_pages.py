"""The app's pages: every one a thin view over :class:`fondly.Fondly`.

Pages render server-side from Jinja2 templates (autoescaped: names and messages come
from exports and are never trusted); the only scripts are the app's own static
files, which draw the charts and let files be dropped onto the import form.
"""

from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import threading
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from fondly import _private
from fondly._errors import FondlyError
from fondly.api import Fondly, ImportReport, Report

STATIC = Path(__file__).parent / "static"


@lru_cache(maxsize=1)
def _environment() -> Any:
    from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

    from fondly.report.html import json_for_script

    env = Environment(
        # The app's pages first; the report's macros (certainty, trend, charts) are shared.
        loader=ChoiceLoader(
            [PackageLoader("fondly.app", "templates"), PackageLoader("fondly.report", "templates")]
        ),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["script_json"] = json_for_script
    return env


class ImportJob:
    """An import running in the background: its files and how many messages were read."""

    def __init__(self, folder: Path) -> None:
        self.id = secrets.token_urlsafe(12)
        self.folder = folder
        self.paths: list[Path] = []
        self.read = 0
        self.done = False
        self.result: ImportReport | None = None
        self.problem: str | None = None

    def advance(self, n: int) -> None:
        self.read += n


CLOSED_WHEN_REDACTED = (
    "This is the redacted view (fondly app --redact): it shows no names and no messages, so "
    "adding exports and settings are closed. Start fondly app without --redact to use them."
)


class Pages:
    """The routes, with a small cache of reports that any change to the store clears.

    With ``redact`` every page shows what ``fondly report --redact`` shows: people as
    "Person N", chats as "Chat N", messages described by their kind, dates as months. The
    import and settings pages (file names, every name in the store) and every change to
    the store are closed: the redacted view is for showing the screen to someone else.
    """

    def __init__(self, fondly: Fondly, *, redact: bool = False) -> None:
        self.fondly = fondly
        self.redact = redact
        self._reports: dict[Any, Report] = {}
        self._lock = threading.Lock()
        self._jobs: dict[str, ImportJob] = {}

    def routes(self) -> list[Route]:
        return [
            Route("/", self.overview),
            Route("/import", self.import_page, methods=["GET", "POST"]),
            Route("/import/job/{job}", self.job),
            Route("/import/job/{job}/result", self.job_result),
            Route("/person/{person_id:int}", self.person),
            Route("/message/{message_id}", self.message),
            Route("/chat/{chat_id:int}", self.chat),
            Route("/search", self.search),
            Route("/settings", self.settings),
            Route("/settings/me", self.set_me, methods=["POST"]),
            Route("/settings/merge", self.merge, methods=["POST"]),
            Route("/settings/forget", self.forget, methods=["POST"]),
            Route("/static/{name}", self.static),
        ]

    # -- helpers ------------------------------------------------------------------

    def _page(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = _environment().get_template(template).render(redact=self.redact, **context)
        return HTMLResponse(html, status_code=status)

    def _report(self, person_id: int | None) -> Report:
        with self._lock:
            found = self._reports.get(person_id)
        if found is None:
            found = self.fondly.report(person_id, charts=person_id is not None, redact=self.redact)
            with self._lock:
                self._reports[person_id] = found
        return found

    def _changed(self) -> None:
        with self._lock:
            self._reports.clear()

    def _has_store(self) -> bool:
        return self.fondly.path == ":memory:" or Path(self.fondly.path).exists()

    # -- pages --------------------------------------------------------------------

    def overview(self, request: Request) -> Response:
        if not self._has_store() or not self.fondly.chats():
            return self._page("app_empty.html", nav="overview")
        if self.fondly.me() is None:
            if self.redact:
                return self._page(
                    "app_problem.html",
                    409,
                    nav="overview",
                    problem="No person is marked as you yet: run fondly me NAME first.",
                )
            return RedirectResponse("/settings", status_code=303)
        from fondly.report.html import overview_charts

        report = self._report(None)
        return self._page(
            "app_overview.html",
            nav="overview",
            insights=report.insights,
            charts=_charts(overview_charts(report.insights)),
        )

    def person(self, request: Request) -> Response:
        from fondly.report.html import person_charts

        person_id = int(request.path_params["person_id"])
        try:
            report = self._report(person_id)
        except FondlyError as exc:
            return self._problem(exc, 404)
        rel = report.relationship(person_id)
        if rel is None:
            return self._page(
                "app_problem.html", 404, nav="overview", problem="No messages with this person yet."
            )
        return self._page(
            "app_person.html",
            nav="overview",
            rel=rel,
            phrases=(rel.get("activity") or {}).get("phrases") or [],
            charts=_charts(person_charts(rel)),
        )

    def _closed(self, nav: str) -> Response:
        return self._page("app_problem.html", 403, nav=nav, problem=CLOSED_WHEN_REDACTED)

    def message(self, request: Request) -> Response:
        message_id = str(request.path_params["message_id"])
        chat_id = self.fondly.chat_of(message_id)
        if chat_id is None:
            return self._page("app_problem.html", 404, nav="", problem="No such message.")
        return RedirectResponse(f"/chat/{chat_id}?around={message_id}#m-{message_id}", 303)

    def chat(self, request: Request) -> Response:
        chat_id = int(request.path_params["chat_id"])
        around = request.query_params.get("around")
        chats = {c.id: c for c in self.fondly.chats()}
        if chat_id not in chats:
            return self._page("app_problem.html", 404, nav="", problem="No such chat.")
        messages = self.fondly.conversation(chat_id, around=around, redact=self.redact)
        chat = chats[chat_id]
        if self.redact:
            chat = replace(chat, title=f"Chat {chat.id}", first=None, last=None)
            around = None  # a redacted page carries no message ids
        return self._page("app_chat.html", nav="", chat=chat, messages=messages, around=around)

    def search(self, request: Request) -> Response:
        query = request.query_params.get("q", "")[:200]
        found = (
            self.fondly.search(query, redact=self.redact)
            if query.strip() and self._has_store()
            else []
        )
        # A redacted page does not repeat the words searched for: they may be a name.
        return self._page(
            "app_search.html",
            nav="search",
            query="" if self.redact else query,
            searched=bool(query.strip()),
            found=found,
        )

    def settings(self, request: Request, done: str | None = None, status: int = 200) -> Response:
        if self.redact:
            return self._closed("settings")
        has = self._has_store()
        return self._page(
            "app_settings.html",
            status,
            nav="settings",
            people=self.fondly.people() if has else [],
            chats=self.fondly.chats() if has else [],
            done=done,
        )

    async def set_me(self, request: Request) -> Response:
        if self.redact:
            return self._closed("settings")
        form = await request.form()
        try:
            name = self.fondly.set_me(str(form.get("name") or ""))
        except FondlyError as exc:
            return self.settings(request, done=_one_line(exc), status=400)
        finally:
            self._changed()
        return self.settings(request, done=f"You are now {name}.")

    async def merge(self, request: Request) -> Response:
        if self.redact:
            return self._closed("settings")
        form = await request.form()
        try:
            name = self.fondly.merge(str(form.get("keep") or ""), str(form.get("other") or ""))
        except FondlyError as exc:
            return self.settings(request, done=_one_line(exc), status=400)
        finally:
            self._changed()
        return self.settings(request, done=f"Joined into {name}.")

    async def forget(self, request: Request) -> Response:
        if self.redact:
            return self._closed("settings")
        form = await request.form()
        chat = str(form.get("chat") or "")
        if not chat.isdigit():
            return self.settings(request, done="Choose a chat to forget.", status=400)
        try:
            gone = self.fondly.forget(chats=[int(chat)])
        except FondlyError as exc:
            return self.settings(request, done=_one_line(exc), status=400)
        finally:
            self._changed()
        return self.settings(
            request,
            done=f"Forgotten: {gone.conversations} chat(s), {gone.messages:,} message(s).",
        )

    async def import_page(self, request: Request) -> Response:
        """Import uploaded exports; with ``X-Fondly-Async`` (the page's script) in the
        background, answering a job whose progress the page polls."""
        if self.redact:
            return self._closed("import")
        if request.method == "GET":
            return self._page("app_import.html", nav="import", result=None, problem=None)
        form = await request.form()
        uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
        if not uploads:
            return self._page(
                "app_import.html", 400, nav="import", result=None, problem="Choose a file first."
            )
        # Uploads are chat exports: they wait in the store's scratch folder (0700), which
        # the next fondly run empties if this one is killed, never in a shared /tmp.
        in_memory = self.fondly.path == ":memory:"
        job = ImportJob(
            Path(tempfile.mkdtemp(prefix="fondly-upload-"))
            if in_memory
            else _private.open_scratch(self.fondly.path)
        )
        for n, upload in enumerate(uploads):
            # Keep the file's own name (importers read meaning from it: "WhatsApp Chat
            # with Sam.txt"), but never a path: only its last part, in its own folder.
            target = job.folder / str(n) / _safe_name(str(upload.filename))
            target.parent.mkdir()
            with target.open("wb") as out:
                shutil.copyfileobj(upload.file, out)
            job.paths.append(target)
        me = str(form.get("me") or "").strip() or None
        tz = str(form.get("tz") or "").strip() or None
        if request.headers.get("x-fondly-async") == "1":
            with self._lock:
                self._jobs = {k: j for k, j in self._jobs.items() if not j.done} | {job.id: job}
            threading.Thread(target=self._run, args=(job, me, tz), daemon=True).start()
            return JSONResponse({"job": job.id})
        self._run(job, me, tz)
        return self._import_result(job)

    def _run(self, job: ImportJob, me: str | None, tz: str | None) -> None:
        try:
            job.result = self.fondly.import_(job.paths, me=me, tz=tz, progress=job.advance)
        except FondlyError as exc:
            job.problem = _one_line(exc)
        except Exception:  # a bug: said once, without the text of any message
            job.problem = "the import failed unexpectedly; run `fondly import` for details"
        finally:
            self._changed()
            _private.close_scratch(job.folder)
            job.done = True

    def job(self, request: Request) -> Response:
        job = self._jobs.get(str(request.path_params["job"]))
        if job is None:
            return JSONResponse({"error": "no such import"}, status_code=404)
        return JSONResponse({"read": job.read, "done": job.done})

    def job_result(self, request: Request) -> Response:
        job = self._jobs.get(str(request.path_params["job"]))
        if job is None or not job.done:
            return self._page("app_problem.html", 404, nav="import", problem="No such import.")
        return self._import_result(job)

    def _import_result(self, job: ImportJob) -> Response:
        if job.result is None:
            return self._page(
                "app_import.html", 400, nav="import", result=None, problem=job.problem
            )
        names = {str(p): p.name for p in job.paths}
        return self._page(
            "app_import.html",
            nav="import",
            result=job.result,
            shown=lambda text: _shown(text, names),
            problem=None,
        )

    def static(self, request: Request) -> Response:
        name = str(request.path_params["name"])
        if name == "vega.js":
            from fondly.report.html import chart_script

            return Response(chart_script(), media_type="text/javascript")
        files = {"app.css": "text/css", "app.js": "text/javascript"}
        if name not in files:
            return Response("not found", status_code=404, media_type="text/plain")
        return Response((STATIC / name).read_bytes(), media_type=files[name])

    async def failed(self, request: Request, exc: Exception) -> Response:
        """Any page that ran into a FondlyError: its one line, never its traceback."""
        if not isinstance(exc, FondlyError):
            raise exc
        return self._problem(exc, 500)

    def _problem(self, exc: FondlyError, status: int) -> Response:
        return self._page("app_problem.html", status, nav="", problem=_one_line(exc))


def _charts(charts: list[tuple[str, str | None, Any]]) -> list[dict[str, Any]]:
    kept = [c for c in charts if c[2] is not None]
    return [
        {"id": f"chart-{i}", "title": t, "note": n, "spec": s} for i, (t, n, s) in enumerate(kept)
    ]


def _one_line(exc: BaseException) -> str:
    from fondly.cli._common import error_line

    return error_line(exc).removeprefix("fondly: ")


def _safe_name(name: str) -> str:
    """The last part of an uploaded file's name, without anything a path could use."""
    base = re.split(r"[\\/]", name)[-1].strip().lstrip(".")
    base = "".join(c for c in base if c.isprintable())
    return base[:200] or "export"


def _shown(text: str, names: dict[str, str]) -> str:
    """A source or error as the user knows it: uploaded names, never the temporary folder."""
    for path, name in names.items():
        text = text.replace(path, name)
    return text
