"""PDF rendering with WeasyPrint, fenced in.

- The fetcher allows `data:` URIs and files inside our own static folder, nothing else, and follows
  no redirects: text typed by users can never make the renderer reach the network or the disk.
- Rendering runs in a child process with a memory ceiling and a time limit, so hostile or huge input
  ends with a clear error and never takes the web worker down. The children come from a fork server
  (clean, single-threaded, WeasyPrint preloaded); like any multiprocessing code, a script that calls
  render_pdf() must do so under `if __name__ == "__main__":`.
"""

from __future__ import annotations

import logging
import multiprocessing
import resource
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.utils.translation import gettext_noop
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
REPORT_CSS = STATIC_DIR / "dpia" / "css" / "report.css"
DEFAULT_TIMEOUT_SECONDS = 60
DEFAULT_MEMORY_BYTES = 1536 * 1024 * 1024

log = logging.getLogger("dpia.reports")


# Why a render failed, for a person: English msgids, translated where they are shown, in the reader's language (a
# worker stores the reason; someone reads it later).
TOO_SLOW = gettext_noop("the report took longer than the time allowed to render")
STOPPED = gettext_noop("the report renderer stopped before finishing; the report may be too large for the memory "
                       "allowed")
TOO_LARGE = gettext_noop("the report needs more memory than allowed")
FAILED = gettext_noop("the report could not be rendered")


class ReportRenderError(Exception):
    """The report could not be rendered. The message gives the details, in English, for logs and the command line;
    `reason` says why in plain words, as one of the msgids above: show it as gettext(reason)."""

    def __init__(self, message: str, *, reason: str = FAILED):
        super().__init__(message)
        self.reason = reason


class SafeURLFetcher(URLFetcher):
    """Only `data:` URIs and files under our static folder; everything else is refused."""

    def __init__(self, static_dir: Path = STATIC_DIR):
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, timeout=2)
        self.static_dir = static_dir.resolve()

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if path.is_relative_to(self.static_dir) and path.is_file():
                return super().fetch(path.as_uri(), headers)
        log.warning("report renderer refused to fetch %r", url[:200])
        raise ValueError(f"blocked URL: {url[:80]}")


def render_pdf_unbounded(html: str, *, title: str = "") -> bytes:
    """Render in this process. Use render_pdf() for anything that comes from users."""
    fetcher = SafeURLFetcher()
    stylesheet = CSS(string=REPORT_CSS.read_text(encoding="utf-8"), url_fetcher=fetcher)
    document = HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], pdf_tags=True, presentational_hints=False)


def _child(connection, html: str, memory_bytes: int) -> None:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        connection.send(("ok", render_pdf_unbounded(html)))
    except MemoryError:
        connection.send(("too_large", TOO_LARGE))
    except Exception as exc:  # the child reports every failure as a message
        connection.send(("error", f"{type(exc).__name__}: {exc}"[:500]))
    finally:
        connection.close()


def render_pdf(html: str, *, timeout: float = DEFAULT_TIMEOUT_SECONDS,
               memory_bytes: int = DEFAULT_MEMORY_BYTES) -> bytes:
    """Render in a child process bounded in time and memory; ReportRenderError on failure."""
    # A fork server starts clean (no threads or database connections of the web worker) and keeps
    # WeasyPrint imported, so each render pays only for a fork.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["dpia.reports.pdf"])
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, html, memory_bytes), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise ReportRenderError(f"the report took longer than {timeout:g} seconds to render", reason=TOO_SLOW)
        status, payload = receiver.recv()
    except EOFError as exc:
        raise ReportRenderError(STOPPED, reason=STOPPED) from exc
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()
    if status != "ok":
        raise ReportRenderError(f"the report could not be rendered: {payload}",
                                reason=TOO_LARGE if status == "too_large" else FAILED)
    return payload
