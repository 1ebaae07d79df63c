"""The preview server's rules, through the real server (in this process) and
a raw HTTP client: which Host is answered, which file is served, what every
answer says about itself, and what the page is told of the editor's disk."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from serve_fixture import LINKED, PUBLIC, SECRETS, serve_output, stop

from paperpipe.serve import PAGE_POLICY, RELOAD_SCRIPT
from paperpipe.serve_rules import FILE_POLICY, script_hash, scrub


@pytest.fixture(scope="module")
def served():
    with tempfile.TemporaryDirectory(prefix="paperpipe-serve-") as base:
        s = serve_output(Path(base))
        yield s
        stop(s)


def no_secret(body: bytes) -> bool:
    return not any(secret in body for secret in SECRETS)


# ----------------------------------------------------------------------------- Host
@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LocalHost:{port}", "[::1]:{port}"])
def test_the_loopback_with_our_port_is_answered(served, host):
    status, headers, body = served.request("GET", "/", host.format(port=served.port))
    assert status == 200 and b"THE-PAGE" in body


@pytest.mark.parametrize("host", [
    "evil.example:{port}", "evil.example", "127.0.0.1", "localhost", "127.0.0.1:{other}", "localhost:{other}",
    "127.0.0.1.evil.example:{port}", "localhost.:{port}", "127.0.0.2:{port}", "0.0.0.0:{port}", "[::ffff:127.0.0.1]:{port}",
    "2130706433:{port}", "127.1:{port}", "::1:{port}", "localhost:{port}@evil.example", "", "localhost:0{port}",
])
def test_any_other_host_gets_400_and_nothing_of_the_paper(served, host):
    for path in ("/", "/paper.pdf", "/_paperpipe/events", "/paper.html"):
        status, headers, body = served.request("GET", path, host.format(port=served.port, other=served.port + 1))
        assert status == 400, (host, path)
        assert b"THE-" not in body and headers["x-content-type-options"] == "nosniff"


def test_no_host_or_two_hosts_get_400(served):
    assert served.request("GET", "/", None)[0] == 400
    assert served.raw(b"GET / HTTP/1.0\r\n\r\n")[0] == 400
    two = f"Host: 127.0.0.1:{served.port}\r\n".encode()
    assert served.request("GET", "/", extra=two)[0] == 400
    # an absolute-form target names another host than the Host header
    assert served.request("GET", "http://evil.example/paper.pdf")[0] == 400


# ----------------------------------------------------------------------------- files
def test_public_files_and_links_inside_are_served(served):
    for path, data in {**PUBLIC, **LINKED}.items():
        target = "".join(c if c.isascii() and c != " " else "".join(f"%{b:02X}" for b in c.encode()) for c in path)
        status, headers, body = served.request("GET", target)
        assert status == 200, path
        if path.endswith(".html"):
            assert b"THE-PAGE" in body and b"EventSource" in body
        else:
            assert body == data
        head = served.request("HEAD", target)
        assert head[0] == 200 and head[2] == b"" and head[1]["content-length"] == headers["content-length"]


@pytest.mark.parametrize("target", [
    "/.cache/fig.png", "/%2ecache/fig.png", "/%2Ecache/fig.png", "/%252ecache/fig.png", "/.cache/", "/%2ecache/",
    "/.paper.pdf.x1y2.part", "/%2epaper.pdf.x1y2.part", "/paper.pdf.part", "/paper.pdf%2epart", "/.paper.pdf.a9.previous",
    "/.env", "/%2e%65nv", "/sub/.hidden", "/sub/%2ehidden", "/sub%2f.hidden", "/sub%2F%2Ehidden", "/sub\\.hidden",
    "/sub%5c.hidden", "/sub/../.env", "/sub/%2e%2e/.env", "/sub/%2e%2e/%2eenv", "//.env", "/sub//.hidden", "/./.env",
    "/out-link.pdf", "/out-dir/paper.pdf", "/cache-link/fig.png", "/cache-file.png", "/part-link.pdf", "/loop", "/pipe.pdf",
    "/../secret.txt", "/%2e%2e/secret.txt", "/%2e%2e%2fsecret.txt", "/..%2fsecret.txt", "/..%5csecret.txt",
    "/%c0%ae%c0%ae/secret.txt", "/sub", "/sub/", "/out-dir/", "/paper.pdf%00.html", "/nothing.pdf",
    "/%2fetc%2fpasswd", "/..", "/%2e%2e", "/paper.pdf/", "/paper.pdf/.",
])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_hidden_files_links_out_and_folders_are_refused_whatever_the_encoding(served, target, method):
    status, headers, body = served.request(method, target)
    assert status in (400, 404), (method, target, status)
    assert no_secret(body) and b"root:" not in body


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH", "PROPFIND", "get", "CONNECT"])
def test_other_methods_get_405(served, method):
    for target in ("/", "/paper.pdf", "/.cache/fig.png", "/%2ecache/fig.png", "/_paperpipe/events"):
        status, headers, body = served.request(method, target)
        assert status == 405 and headers["allow"] == "GET, HEAD", (method, target)
        assert no_secret(body) and b"THE-" not in body


# ----------------------------------------------------------------------------- what each answer says about itself
def test_every_answer_has_nosniff_and_a_policy(served):
    for method, target in (("GET", "/"), ("GET", "/paper.pdf"), ("GET", "/nothing"), ("POST", "/"), ("HEAD", "/paper.html")):
        status, headers, body = served.request(method, target)
        assert headers["x-content-type-options"] == "nosniff", target
        assert "default-src 'none'" in headers["content-security-policy"], target
    page = served.request("GET", "/")[1]["content-security-policy"]
    assert page == PAGE_POLICY
    directives = dict(d.strip().split(" ", 1) for d in page.split(";"))
    assert directives["script-src"] == script_hash(RELOAD_SCRIPT)  # the reload script only, by its hash
    assert directives["connect-src"] == "'self'" and directives["img-src"] == "data: 'self'"
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in page
    pdf = served.request("GET", "/paper.pdf")[1]
    assert pdf["content-type"] == "application/pdf" and pdf["content-security-policy"] == FILE_POLICY


def test_the_served_script_is_the_one_the_policy_allows(served):
    body = served.request("GET", "/")[2].decode()
    scripts = re.findall(r"<script>(.*?)</script>", body, re.S)
    assert scripts == [RELOAD_SCRIPT]


def test_the_event_stream_answers_head_and_get(served):
    status, headers, body = served.request("HEAD", "/_paperpipe/events")
    assert status == 200 and headers["content-type"] == "text/event-stream" and body == b""


# ----------------------------------------------------------------------------- what the page is told
def test_problems_in_the_page_name_no_absolute_path(served, tmp_path):
    paper, templates = tmp_path / "my paper", tmp_path / "templates"
    served.preview.roots = {paper: "my paper", templates: "templates", served.output: "output"}
    served.preview.finished([
        f"{paper}/sections/02-results.md:12: raw HTML is not supported — write it in Markdown",
        f"{templates}/style.yaml:3: unknown colour — see https://example.org/colours/list",
        "internal error: FileNotFoundError: [Errno 2] No such file or directory: '/home/ann/.config/x/secret.yaml'",
        f"{served.output}/paper.pdf:0: cannot write the file (Permission denied: '{served.output}/paper.pdf')",
    ])
    try:
        body = served.request("GET", "/")[2].decode()
        alert = re.search(r'<div role="alert".*?</div>', body, re.S).group(0)
        assert "my paper/sections/02-results.md:12: raw HTML is not supported" in alert
        assert "templates/style.yaml:3:" in alert and "https://example.org/colours/list" in alert
        assert "secret.yaml" in alert and "/home/ann" not in alert
        assert "output/paper.pdf:0" in alert
        assert str(tmp_path) not in alert and "/home" not in alert and "/tmp" not in alert
    finally:
        served.preview.finished([], served.output / "paper.html")


def test_scrub_keeps_relative_paths_and_links():
    text = "sections/a.md:3: see https://example.org/a/b and ./x and ~/y and C:\\Users\\ann\\p\\a.md"
    assert scrub(text, {}) == "sections/a.md:3: see https://example.org/a/b and ./x and ~/y and a.md"
    assert scrub("/srv/p/a.md:1: x", {Path("/srv/p"): "p"}) == "p/a.md:1: x"
    assert scrub("in /srv/p", {Path("/srv/p"): "p"}) == "in p"
