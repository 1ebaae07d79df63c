"""Property tests of the preview server: generated Host headers and
generated request paths (each character in one of many encodings, methods
of every kind), sent as raw bytes to the real server in this process.

- A request is answered (not 400) only when it has exactly one Host, naming
  127.0.0.1, localhost or [::1] with the server's port.
- A request gets 200 only for GET or HEAD of a path that decodes (once) to
  a public file; the body is then exactly that file (a page: with the
  reload script). No answer ever holds a byte of a hidden file, a
  half-written file or a file outside the output folder.

Bug hunt (issue 15 asks for at least 20,000 cases): as for
tests/test_properties.py, raise the count per test and log every case:

    PAPERPIPE_EXAMPLES=10000 PAPERPIPE_HUNT_LOG=/tmp/serve-hunt.log \\
        python -m pytest -q tests/test_serve_properties.py
"""
from __future__ import annotations

import os
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from serve_fixture import LINKED, PUBLIC, SECRETS, serve_output, stop

EXAMPLES = int(os.environ.get("PAPERPIPE_EXAMPLES", "60"))
HUNT_LOG = os.environ.get("PAPERPIPE_HUNT_LOG")
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
CASES: Counter = Counter()


@pytest.fixture(scope="module")
def served():
    with tempfile.TemporaryDirectory(prefix="paperpipe-serve-props-") as base:
        s = serve_output(Path(base))
        yield s
        stop(s)
    if CASES:
        print(f"\nserver cases: {dict(CASES)}")


def _log(name: str, outcome) -> None:
    CASES[name] += 1
    CASES[f"{name}:{outcome}"] += 1
    if HUNT_LOG:
        with open(HUNT_LOG, "a", encoding="utf-8") as log:
            log.write(f"{name}\t{outcome}\n")


# ----------------------------------------------------------------------------- Host headers
NAMES = st.sampled_from([
    "127.0.0.1", "localhost", "[::1]", "LOCALHOST", "LocalHost", "[::1", "::1", "[0:0:0:0:0:0:0:1]", "127.0.0.2", "127.1",
    "0.0.0.0", "0", "2130706433", "0x7f000001", "[::ffff:127.0.0.1]", "localhost.", "127.0.0.1.", "localhost.evil.example",
    "127.0.0.1.nip.io", "evil.example", "xn--localhost", "lоcalhost", "localhost\u200b", "", " ", "*",
])
PORTS = st.one_of(st.sampled_from(["{port}", "0{port}", "{port}0", "{other}", "", "0", "65536", "-{port}", "{port} ", " {port}"]),
                  st.integers(0, 70000).map(str))
JUNK = st.sampled_from(["", "", "", "@evil.example", "/", "/x", "#", "?", ".", "\t", " x", ":", ";"])
HOST = st.tuples(st.sampled_from(["", "", "", " ", "\t"]), NAMES, st.sampled_from([":", ":", ":", "", "::", ": "]), PORTS, JUNK).map("".join)
HOST_NAME = st.sampled_from(["Host", "Host", "host", "HOST", "X-Forwarded-Host", "Host"])


def allowed(values: list[str], port: int) -> bool:
    """The rule, written out plainly: one Host, loopback, our port."""
    return len(values) == 1 and values[0].strip(" \t").lower() in {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}


@SETTINGS
@given(hosts=st.one_of(st.lists(st.tuples(HOST_NAME, HOST), max_size=3),
                      st.sampled_from(["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "LOCALHOST:{port}"]).map(lambda h: [("Host", h)])),
       path=st.sampled_from(["/", "/paper.pdf", "/_paperpipe/events?x"]),
       method=st.sampled_from(["GET", "HEAD"]))
@example(hosts=[("Host", "localhost:{port}")], path="/", method="GET")
@example(hosts=[("Host", "evil.example:{port}")], path="/", method="GET")
def test_only_a_loopback_host_with_our_port_is_answered(served, hosts, path, method):
    lines = [(name, value.format(port=served.port, other=served.port + 1)) for name, value in hosts]
    sent = [v for name, v in lines if name.lower() == "host"]
    request = f"{method} {path} HTTP/1.1\r\n".encode() + b"".join(
        f"{name}: {value}\r\n".encode("utf-8") for name, value in lines) + b"Connection: close\r\n\r\n"
    if path.startswith("/_paperpipe/events") and method == "GET" and allowed(sent, served.port):
        path = "/"  # an open event stream does not end by itself; its Host rule is the same
        request = request.replace(b"/_paperpipe/events?x", b"/", 1)
    status, headers, body = served.raw(request)
    _log("host", status)
    assert headers.get("x-content-type-options") == "nosniff"
    if allowed(sent, served.port):
        assert status == 200, (lines, status)
    else:
        assert status == 400, (lines, status)
        assert b"THE-" not in body and not any(s in body for s in SECRETS)


# ----------------------------------------------------------------------------- encoded paths
SEGMENTS = st.sampled_from([
    "paper.html", "paper.pdf", "sub", "notes.txt", "r\u00e9sum\u00e9 1.pdf", "alias.pdf", "..", ".", "", ".cache", "fig.png",
    ".paper.pdf.x1y2.part", "paper.pdf.part", ".paper.pdf.a9.previous", ".env", ".hidden", "out-link.pdf", "out-dir",
    "cache-link", "cache-file.png", "part-link.pdf", "loop", "pipe.pdf", "secret.txt", "secret-folder", "_paperpipe", "nothing",
])


def _encodings(ch: str) -> list[str]:
    """Ways a character can be written in a request path."""
    utf8 = ch.encode("utf-8")
    once = "".join(f"%{b:02X}" for b in utf8)
    ways = [ch if ch.isascii() and ch not in " %?#" else once, once, once.lower(), once.replace("%", "%25")]
    if ch == ".":
        ways += ["%c0%ae", "%e0%80%ae", "\uff0e", "%uff0e", "%u002e"]
    if ch == "/":
        ways += ["\\", "%5c", "%5C", "//", "%2f%2f", "/./", "%c0%af"]
    return ways


@st.composite
def encoded_paths(draw) -> str:
    if draw(st.integers(0, 2)) == 0:  # a third of the cases: a public file, to show those are served
        text = draw(st.sampled_from(sorted({**PUBLIC, **LINKED})))
    else:
        text = "/" + "/".join(draw(st.lists(SEGMENTS, min_size=1, max_size=4)))
    out = []
    for ch in text:
        ways = _encodings(ch)
        out.append(ways[0] if draw(st.integers(0, 7)) else draw(st.sampled_from(ways)))
    tail = draw(st.sampled_from(["", "", "", "?", "?x=1", "#frag", "%00", "%0a", ";x", "/", "%2f", "%20"]))
    return "".join(out) + tail


METHODS = st.sampled_from(["GET", "GET", "GET", "HEAD", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PROPFIND", "get", "Get"])


def decoded(target: str) -> str | None:
    try:
        return unquote_to_bytes(target.split("?", 1)[0].split("#", 1)[0]).decode("utf-8")
    except UnicodeDecodeError:
        return None


@SETTINGS
@given(target=encoded_paths(), method=METHODS)
@example(target="/%2ecache/fig.png", method="GET")
@example(target="/%2epaper.pdf.x1y2.part", method="HEAD")
@example(target="/sub/%2e%2e/%2eenv", method="GET")
@example(target="/out-dir/paper.pdf", method="GET")
def test_only_public_files_are_served_whatever_the_encoding(served, target, method):
    status, headers, body = served.request(method, target)
    _log("path", status)
    assert not any(secret in body for secret in SECRETS), (method, target, status)
    assert headers.get("x-content-type-options") == "nosniff"
    public = {**PUBLIC, **LINKED}
    name = decoded(target)
    if method not in ("GET", "HEAD"):
        assert status in (400, 405), (method, target, status)  # 400: a request line that does not parse
    elif status == 200:
        assert name in public or name == "/", (method, target)
        if method == "HEAD":
            assert body == b""
        elif name.endswith(".html") or name == "/":
            assert b"THE-PAGE" in body and b"EventSource" in body
        else:
            assert body == public[name]
    else:
        assert status in (400, 404), (method, target, status)
        # a public file is refused only for a target no browser sends: not starting with one '/', raw spaces or bytes
        origin_form = target.startswith("/") and not target.startswith("//") and target.isascii() and " " not in target
        assert not (origin_form and name in public), (method, target, status)
