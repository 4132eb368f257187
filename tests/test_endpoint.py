"""Remote stores over HTTP: a real `oxigraph serve`, and small stub servers for failures."""

from __future__ import annotations

import io
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.store import RemoteStore, StoreError, query_url

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
FIRST = "https://w3id.org/newskg/id/article/a"
SECOND = "https://w3id.org/newskg/id/article/b"


def run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    code = main(argv, stdin=io.StringIO(""), err=err)
    return code, err.getvalue()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def oxigraph_executable() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[str]:
    """A real `oxigraph serve` on 127.0.0.1 and a free port; yields its base URL."""
    executable = oxigraph_executable()
    if executable is None:
        pytest.skip("the oxigraph server is not installed (pip install 'newskg[test]')")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [executable, "serve", "--location", str(tmp_path / "oxigraph"), "--bind",
         f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"oxigraph serve did not start: {server.stderr.read()!r}")  # type: ignore[union-attr]
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def server_quads(base: str) -> set[str]:
    """Every quad the server holds, read back as N-Quads through the Graph Store protocol."""
    request = urllib.request.Request(f"{base}/store", headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(request, timeout=10) as response:
        data = response.read()
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_QUADS)
    return {str(quad) for quad in store}


def test_build_to_oxigraph_server_equals_the_embedded_store(oxigraph: str, tmp_path: Path) -> None:
    store = tmp_path / "store"
    code, err = run(["build", str(ARTICLES), "--store", str(store), "-q"])
    assert code == 0, err
    embedded = {str(quad) for quad in ox.Store.read_only(str(store))}
    for _ in range(2):  # pushing twice leaves the same content
        code, err = run(["build", str(ARTICLES), "--endpoint", f"{oxigraph}/store"])
        assert code == 0, err
        assert "wrote 9 article(s)" in err
        assert server_quads(oxigraph) == embedded
    # The query service beside the store answers over the pushed graphs, as the embedded one does.
    sparql = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    answer = RemoteStore(f"{oxigraph}/store").query(sparql, "text/csv")
    assert answer.decode().split() == ["n", str(len(embedded))]


def test_load_files_to_oxigraph_server(oxigraph: str, tmp_path: Path) -> None:
    nq, ttl = tmp_path / "a.nq", tmp_path / "b.ttl"
    nq.write_text(f'<urn:x:s> <urn:x:p> "1" <{FIRST}> .\n<urn:x:s> <urn:x:p> "2" <{SECOND}> .\n')
    ttl.write_text('<urn:x:s> <urn:x:p> "t" .\n')
    for _ in range(2):
        code, err = run(["load", str(nq), str(ttl), "--endpoint", f"{oxigraph}/store", "-q"])
        assert code == 0, err
        code, err = run(["load", str(ttl), "--endpoint", f"{oxigraph}/store", "--graph", "urn:x:g"])
        assert code == 0, err
    assert server_quads(oxigraph) == {
        f'<urn:x:s> <urn:x:p> "1" <{FIRST}>',
        f'<urn:x:s> <urn:x:p> "2" <{SECOND}>',
        '<urn:x:s> <urn:x:p> "t"',
        '<urn:x:s> <urn:x:p> "t" <urn:x:g>',
    }


# --- stub servers -------------------------------------------------------------------------------

Answer = Callable[[str, str, bytes], tuple[int, bytes]]
"""(method, path with query, body) -> (status, body)."""


class Stub:
    """A Graph Store stand-in that records every request and answers by a rule."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self.graphs: dict[str, bytes] = {}
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                stub.requests.append((self.command, self.path, dict(self.headers), body))
                status, reply = stub.answer(self.command, self.path, body)
                if status < 300 and self.command == "PUT":  # whole graph, or nothing
                    graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"]
                    stub.graphs[graph[0]] = body
                self.send_response(status)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            do_PUT = do_POST = do_GET = _handle

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Stub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture
def nq(tmp_path: Path) -> Path:
    """Two article graphs in one N-Quads file."""
    path = tmp_path / "two.nq"
    path.write_text(f'<urn:x:s> <urn:x:p> "1" <{FIRST}> .\n<urn:x:s> <urn:x:p> "2" <{SECOND}> .\n')
    return path


def ok(method: str, path: str, body: bytes) -> tuple[int, bytes]:
    return 204, b""


def test_each_graph_is_put_to_its_encoded_name_with_basic_auth(
    nq: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_ENDPOINT_USER", "ana")
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", "s3cret:x")
    with Stub(ok) as stub:
        code, err = run(["load", str(nq), "--endpoint", f"{stub.url}/store?x=1", "-q"])
    assert code == 0, err
    assert [(m, p) for m, p, _, _ in stub.requests] == [
        ("PUT", "/store?x=1&graph=https%3A%2F%2Fw3id.org%2Fnewskg%2Fid%2Farticle%2Fa"),
        ("PUT", "/store?x=1&graph=https%3A%2F%2Fw3id.org%2Fnewskg%2Fid%2Farticle%2Fb"),
    ]
    headers = stub.requests[0][2]
    assert headers["Authorization"] == "Basic YW5hOnMzY3JldDp4"  # ana:s3cret:x
    assert headers["Content-Type"] == "application/n-triples"
    assert stub.requests[0][3] == b'<urn:x:s> <urn:x:p> "1" .\n'


def test_no_auth_header_without_credentials(nq: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_ENDPOINT_USER", raising=False)
    with Stub(ok) as stub:
        code, err = run(["load", str(nq), "--endpoint", f"{stub.url}/store", "-q"])
    assert code == 0, err
    assert all("Authorization" not in headers for _, _, headers, _ in stub.requests)


def test_triples_without_graph_are_posted_to_the_default_graph(tmp_path: Path) -> None:
    ttl = tmp_path / "t.ttl"
    ttl.write_text("<urn:x:s> <urn:x:p> <urn:x:o> .\n")
    with Stub(ok) as stub:
        code, err = run(["load", str(ttl), "--endpoint", f"{stub.url}/store", "-q"])
    assert code == 0, err
    assert [(m, p) for m, p, _, _ in stub.requests] == [("POST", "/store?default")]


def one_line_error(err: str) -> str:
    assert err.startswith("kg: error: ") and err.count("\n") == 1, err
    return err


def test_4xx_is_an_immediate_one_line_error(nq: Path) -> None:
    def forbidden(method: str, path: str, body: bytes) -> tuple[int, bytes]:
        return 403, b"Forbidden: read-only dataset\nmore detail\n"

    with Stub(forbidden) as stub:
        code, err = run(["load", str(nq), "--endpoint", f"{stub.url}/store"])
    assert code == 2
    assert "HTTP 403 Forbidden: read-only dataset" in one_line_error(err)
    assert len(stub.requests) == 1  # no retry on a client error


def test_wrong_url_404_says_so(nq: Path) -> None:
    def missing(method: str, path: str, body: bytes) -> tuple[int, bytes]:
        return 404, b"Not Found"

    with Stub(missing) as stub:
        code, err = run(["load", str(nq), "--endpoint", f"{stub.url}/wrong"])
    assert code == 2
    assert "HTTP 404" in one_line_error(err) and "Graph Store URL" in err


def test_5xx_then_success_is_retried(nq: Path) -> None:
    def flaky(method: str, path: str, body: bytes) -> tuple[int, bytes]:
        return (503, b"busy") if len(stub.requests) % 2 == 1 else (204, b"")

    with Stub(flaky) as stub:
        code, err = run(["load", str(nq), "--endpoint", f"{stub.url}/store", "-q"])
    assert code == 0, err
    assert len(stub.requests) == 4 and set(stub.graphs) == {FIRST, SECOND}


def test_always_5xx_gives_up_after_bounded_retries(nq: Path) -> None:
    def broken(method: str, path: str, body: bytes) -> tuple[int, bytes]:
        return 500, b"internal error"

    with Stub(broken) as stub:
        store = RemoteStore(f"{stub.url}/store", timeout=5, retries=3, backoff=0.05)
        started = time.monotonic()
        with pytest.raises(StoreError, match=r"HTTP 500 internal error \(4 attempts\)"):
            store.load_file(nq)
        assert time.monotonic() - started < 3
        assert len(stub.requests) == 4
        code, err = run(["load", str(nq), "--endpoint", f"{stub.url}/store"])
    assert code == 2 and "HTTP 500" in one_line_error(err)


def test_server_down_is_one_clear_line(nq: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/store"  # nothing listens there
    code, err = run(["load", str(nq), "--endpoint", url])
    assert code == 2
    assert f"cannot reach {url}" in one_line_error(err)


def test_a_timeout_is_one_clear_line(nq: Path) -> None:
    def slow(method: str, path: str, body: bytes) -> tuple[int, bytes]:
        time.sleep(1.0)
        return 204, b""

    with Stub(slow) as stub:
        store = RemoteStore(f"{stub.url}/store", timeout=0.2, retries=1, backoff=0.01)
        with pytest.raises(StoreError, match=r"timed out after 0.2s \(2 attempts\)"):
            store.load_file(nq)


def test_never_a_half_loaded_graph_when_the_second_put_fails(nq: Path) -> None:
    def second_fails(method: str, path: str, body: bytes) -> tuple[int, bytes]:
        return (204, b"") if len(stub.requests) == 1 else (400, b"Bad Request: parse error")

    with Stub(second_fails) as stub:
        code, err = run(["load", str(nq), "--endpoint", f"{stub.url}/store"])
    assert code == 2 and "HTTP 400" in one_line_error(err)
    # The first article's graph is whole, the second is not there at all: one PUT per graph.
    assert stub.graphs == {FIRST: b'<urn:x:s> <urn:x:p> "1" .\n'}


def test_a_failing_put_leaves_the_old_graph_on_a_real_server(oxigraph: str, tmp_path: Path) -> None:
    good = tmp_path / "good.nq"
    good.write_text(f'<urn:x:s> <urn:x:p> "old" <{FIRST}> .\n')
    code, err = run(["load", str(good), "--endpoint", f"{oxigraph}/store", "-q"])
    assert code == 0, err
    # A PUT whose body breaks half-way: the server rejects it whole and keeps the old graph.
    store = RemoteStore(f"{oxigraph}/store", timeout=10)
    data = b'<urn:x:s> <urn:x:p> "new1" .\n<urn:x:s> <urn:x:p> "new2" .\n<urn:x:s> oops .\n'
    with pytest.raises(StoreError, match="HTTP 400"):
        store._send("PUT", store.graph_url(FIRST), data, "application/n-triples")
    assert server_quads(oxigraph) == {f'<urn:x:s> <urn:x:p> "old" <{FIRST}>'}


def test_query_url_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_QUERY_ENDPOINT", raising=False)
    assert query_url("http://h:7878/store") == "http://h:7878/query"
    assert query_url("http://h:3030/ds/data") == "http://h:3030/ds/sparql"
    assert query_url("http://h:7200/repositories/news/rdf-graphs/service") == (
        "http://h:7200/repositories/news"
    )
    with pytest.raises(StoreError, match="KG_QUERY_ENDPOINT"):
        query_url("http://h/other")
    monkeypatch.setenv("KG_QUERY_ENDPOINT", "http://h/sparql")
    assert query_url("http://h/other") == "http://h/sparql"
