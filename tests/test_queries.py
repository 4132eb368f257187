"""Every shipped query in `queries/` on the sample articles, with the rows the articles justify.

The expected rows were written from the article texts in `data/articles/` (quoted next to each
test), not from the output: they are the rows a reader of the article would write down. Where a
query returns many rows, a `--param` narrows it to rows that are clearly right.
"""

from __future__ import annotations

import io
import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.cli import main
from kg.query import run_query
from kg.store import open_store

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
ARTICLES = ROOT / "data" / "articles"
ID = "https://w3id.org/newskg/id/"
NKG = "https://w3id.org/newskg/ontology#"
AZERBAIJAN = f"{ID}article/azerbaijan-journalists-sentenced-2025-06-21"
SYRIA = f"{ID}article/us-eases-syria-sanctions-2025-05-27"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample articles built once, through the `kg` command, to N-Quads."""
    out = tmp_path_factory.mktemp("sample") / "sample.nq"
    err = io.StringIO()
    assert main(["build", str(ARTICLES), "-o", str(out), "-q"], err=err) == 0, err.getvalue()
    return out


def rows(sample: Path, name: str, **params: str) -> list[tuple[str, ...]]:
    """The query's rows as tuples of values ('' where unbound), from its SPARQL JSON results."""
    out = io.BytesIO()
    run_query(
        str(QUERIES / name), files=[sample], out=out, fmt="json",
        params=[f"{key}={value}" for key, value in params.items()],
    )  # fmt: skip
    data = json.loads(out.getvalue())
    names = data["head"]["vars"]
    return [
        tuple(binding.get(var, {}).get("value", "") for var in names)
        for binding in data["results"]["bindings"]
    ]


def table(sample: Path, name: str, *params: str) -> str:
    out = io.BytesIO()
    run_query(str(QUERIES / name), files=[sample], params=list(params), out=out)
    return out.getvalue().decode("utf-8")


def test_there_are_at_least_eight_documented_queries() -> None:
    shipped = sorted(QUERIES.glob("*.rq"))
    assert len(shipped) >= 8
    readme = (QUERIES / "README.md").read_text(encoding="utf-8")
    for path in shipped:
        header = path.read_text(encoding="utf-8").splitlines()
        assert header[0].startswith("# ") and len(header[0]) > 20, path.name
        assert any(line.startswith("# Parameters:") for line in header), path.name
        assert path.name in readme, path.name


def test_every_query_runs_on_the_sample(sample: Path) -> None:
    for path in sorted(QUERIES.glob("*.rq")):
        assert rows(sample, path.name), f"{path.name} found nothing in the sample articles"


def test_releases_by_country_and_year(sample: Path) -> None:
    # "Russia and Lithuania exchanged nine prisoners on Thursday" (March 7, 2024): one asserted
    # release by each side, nine people. The sample has no other release by a named country.
    assert table(sample, "releases-by-country-year.rq") == (
        "country    year  releases  people\n"
        "---------  ----  --------  ------\n"
        "Lithuania  2024         1       9\n"
        "Russia     2024         1       9\n"
    )
    assert rows(sample, "releases-by-country-year.rq", country="Russia") == [
        ("Russia", "2024", "1", "9")
    ]


def test_sanctions_imposed_by_the_eu(sample: Path) -> None:
    # "The European Union on Monday [Oct 14, 2024] imposed sanctions on 24 Iranian officials and
    # four organizations"; "The bloc first imposed human rights sanctions on Iranian officials
    # in 2011".
    asserted = f"{NKG}Asserted"
    assert rows(sample, "sanctions.rq", sanctioner="European Union") == [
        ("2011", "imposed", "European Union", "Iranian officials", "", asserted),
        ("2024-10-14", "imposed", "European Union", "24 Iranian officials", "24", asserted),
        ("2024-10-14", "imposed", "European Union", "four organizations", "24", asserted),
    ]


def test_sanctions_eased_by_the_us(sample: Path) -> None:
    # "The United States on Monday [May 26, 2025] eased sanctions on Syria's central bank and
    # three state-owned lenders"; "The Treasury Department issued a general license".
    eased = rows(sample, "sanctions.rq", action="eased")
    assert ("2025-05-26", "eased", "United States", "three state-owned lenders", "3",
            f"{NKG}Asserted") in eased  # fmt: skip
    assert ("", "eased", "Treasury Department", "", "", f"{NKG}Asserted") in eased
    assert {row[1] for row in eased} == {"eased"}


def test_event_links_part_of(sample: Path) -> None:
    # The general license the Treasury "issued" is the form the easing took ("eased sanctions").
    assert rows(sample, "event-links.rq", article=f"<{SYRIA}>", relation=f"<{NKG}partOf>") == [
        (
            SYRIA, f"{NKG}SanctionsRelief", "issued", f"{NKG}partOf",
            f"{NKG}SanctionsRelief", "eased",
            f"{SYRIA}/event/SanctionsRelief-367-373", f"{SYRIA}/event/SanctionsRelief-139-144",
        )
    ]  # fmt: skip


def test_event_links_caused_by(sample: Path) -> None:
    # "Senator Linda Hartwell accused the administration of moving too fast": prompted by the
    # easing the article reports.
    linked = rows(sample, "event-links.rq", article=f"<{SYRIA}>", relation=f"<{NKG}causedBy>")
    assert (f"{NKG}Accusation", "accused", f"{NKG}SanctionsRelief", "eased") in [
        (row[1], row[2], row[4], row[5]) for row in linked
    ]


def test_actors_ranked_by_events(sample: Path) -> None:
    # The United Arab Emirates brokered the swap, mediated the exchange and hosted the handover
    # in three events it does not perform; Norway accused and expelled two diplomats.
    ranked = rows(sample, "actors-by-events.rq", actorType=f"<{NKG}Country>")
    assert ranked[0] == ("United Arab Emirates", f"{NKG}Country", "3", "0")
    assert ("Norway", f"{NKG}Country", "2", "2") in ranked
    counts = [int(row[2]) for row in ranked]
    assert counts == sorted(counts, reverse=True)


def test_actor_timeline(sample: Path) -> None:
    # "The Interior Ministry accused her of working without a permit", "On Thursday [June 19,
    # 2025], Azerbaijani authorities deported Claire Dubois", "Dubois said she was driven ...".
    article = f"<{AZERBAIJAN}>"
    assert table(sample, "actor-timeline.rq", "actor=Claire Dubois") == (
        "actor          date        role      type             modality      trigger   article\n"
        "-------------  ----------  --------  ---------------  ------------  --------  "
        + "-" * len(article) + "\n"
        f"Claire Dubois              affected  nkg:Accusation   nkg:Asserted  accused   {article}\n"
        f"Claire Dubois              agent     nkg:Statement    nkg:Asserted  said      {article}\n"
        f"Claire Dubois  2025-06-19  affected  nkg:Deportation  nkg:Asserted  deported  {article}\n"
    )  # fmt: skip


def test_hypothetical_versus_asserted(sample: Path) -> None:
    # Planned talks: "agreed to hold technical talks in Baghdad next month", "whether further
    # talks were planned", "he plans to travel to Washington in June for talks".
    hypothetical = f"{NKG}Hypothetical"
    planned = rows(
        sample, "modality-by-type.rq", type=f"<{NKG}Meeting>", modality=f"<{hypothetical}>"
    )
    assert planned == [(f"{NKG}Meeting", hypothetical, "3")]
    # Every sanctions imposition in the sample is reported as fact (EU x4, United States x1).
    assert rows(sample, "modality-by-type.rq", type=f"<{NKG}SanctionsImposition>") == [
        (f"{NKG}SanctionsImposition", f"{NKG}Asserted", "5")
    ]


def test_the_sentence_behind_an_event(sample: Path) -> None:
    event = f"{AZERBAIJAN}/event/Deportation-1186-1194"
    sentence = (
        "On Thursday, Azerbaijani authorities deported Claire Dubois, a French researcher who had "
        "been studying the country's oil industry, and barred her from returning for five years."
    )
    found = rows(sample, "event-evidence.rq", event=f"<{event}>")
    assert found == [(event, f"{NKG}Deportation", "deported", sentence, "1149", "1325", AZERBAIJAN)]
    # The offsets index the article's cleaned text (its nif:Context), whatever produced them.
    out = io.BytesIO()
    run_query(
        "SELECT ?text WHERE { ?c <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/"
        f"nif-core#isString> ?text . FILTER (?c = <{AZERBAIJAN}/context>) }}",
        files=[sample], fmt="json", out=out,
    )  # fmt: skip
    text = json.loads(out.getvalue())["results"]["bindings"][0]["text"]["value"]
    assert text[1149:1325] == sentence


def test_statements_by_a_person(sample: Path) -> None:
    # "“Expelling a scholar for asking questions is not the behavior of a partner,” Marchal said."
    sentence = (
        "“Expelling a scholar for asking questions is not the behavior of a partner,” Marchal said."
    )
    assert rows(sample, "person-statements.rq", person="Lucien Marchal") == [
        ("Lucien Marchal", "",
         "Expelling a scholar for asking questions is not the behavior of a partner,",
         sentence, AZERBAIJAN)
    ]  # fmt: skip
    # "“He is thinner and older, but he is laughing,” she told reporters at the airfield."
    said = rows(sample, "person-statements.rq", person="Rasa Jurkevičienė")
    assert [row[2] for row in said] == ["He is thinner and older, but he is laughing,"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`oxigraph serve` on 127.0.0.1 (union default graph, as documented), stopped afterwards."""
    binary = shutil.which("oxigraph") or shutil.which(
        "oxigraph", path=str(Path(sys.executable).parent)
    )
    if binary is None:
        pytest.skip("the oxigraph server (pip install '.[test]') is not installed")
    port = _free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")),
         "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("oxigraph serve did not start")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/store"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_every_query_answers_the_same_over_a_real_endpoint(sample: Path, server: str) -> None:
    with open_store(store=None, endpoint=server, timeout=10) as store:
        store.load_file(sample)
    cases = [(path.name, []) for path in sorted(QUERIES.glob("*.rq"))]
    cases += [("sanctions.rq", ["sanctioner=European Union"]), ("person-statements.rq",
              ['person=Lucien Marchal" } UNION { ?a ?b ?c } #'])]  # fmt: skip
    for name, params in cases:
        for fmt in ("table", "json"):
            local, remote = io.BytesIO(), io.BytesIO()
            query = str(QUERIES / name)
            run_query(query, files=[sample], params=params, fmt=fmt, out=local)
            run_query(query, endpoint=server, params=params, fmt=fmt, timeout=10, out=remote)
            assert remote.getvalue() == local.getvalue(), (name, params, fmt)
