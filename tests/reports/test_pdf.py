"""The PDF renderer fetches nothing from user content, stays within bounds, and carries its metadata."""

import http.server
import subprocess
import threading

import pytest

from dpia.reports.pdf import ReportRenderError, render_pdf


@pytest.fixture
def canary():
    """An HTTP server on 127.0.0.1 that counts every request it receives."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_hostile_html_fetches_nothing(canary, tmp_path):
    base, hits = canary
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CANARY-CONTENT")
    html = f"""<html><head><link rel="stylesheet" href="{base}/sheet.css">
    <style>@import url("{base}/import.css"); body {{ background: url("{base}/bg.png"); }}</style></head>
    <body><p>Visible text</p><img src="{base}/img.png"><img src="file://{secret}">
    <object data="{base}/object"></object><iframe src="{base}/frame"></iframe>
    <link rel="attachment" href="file://{secret}"><a rel="attachment" href="{base}/attach">x</a>
    <svg xmlns="http://www.w3.org/2000/svg"><image href="{base}/svg.png" width="10" height="10"/></svg>
    <img src="{base}/redirect?to=file:///etc/passwd"></body></html>"""
    pdf = render_pdf(html)
    assert hits == []
    assert b"/EmbeddedFiles" not in pdf and b"TOP-SECRET" not in pdf
    text = pdf_text(pdf, tmp_path)
    assert "Visible text" in text and "TOP-SECRET" not in text


def test_slow_rendering_ends_with_a_clear_error_and_the_next_render_works():
    huge = "<table>" + "<tr><td>cell</td><td>cell</td></tr>" * 20000 + "</table>"
    with pytest.raises(ReportRenderError, match="took longer than 0.5 seconds"):
        render_pdf(huge, timeout=0.5)
    assert render_pdf("<p>still serving</p>").startswith(b"%PDF")


def test_memory_ceiling_ends_with_a_clear_error():
    big = "<table>" + "<tr><td>row</td><td>of a long table</td></tr>" * 2000 + "</table>"
    # Out of memory shows up as MemoryError, a C-level abort or another error of the child, depending on
    # where the allocation fails: each must end as a ReportRenderError with a message, never a crash.
    with pytest.raises(ReportRenderError, match="^the report (could not be rendered|renderer stopped)"):
        render_pdf(big, memory_bytes=64 * 1024 * 1024, timeout=30)
    assert render_pdf("<p>still serving</p>").startswith(b"%PDF")


def test_deep_nesting_is_contained_in_the_renderer():
    nested = "<div>" * 2000 + "deep" + "</div>" * 2000
    try:
        assert render_pdf(nested, timeout=30).startswith(b"%PDF")
    except ReportRenderError as error:
        assert "could not be rendered" in str(error) or "memory" in str(error)
    assert render_pdf("<p>still serving</p>").startswith(b"%PDF")
