"""The HTML page in a real browser: headless Chromium (Debian's package) driven by selenium.

Checks what a reader sees: every node drawn, search and filters changing the visible count,
no console errors, and hostile labels shown as text without running anything.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from kg.viz.html import write_html

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip(
        "needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)",
        allow_module_level=True,
    )

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

HOSTILE = "<script>window.pwned=1</script>"
BREAKOUT = "</script><script>window.pwned=2</script>"
IMG = '<img src=x onerror="window.pwned=3">'


def make_driver(profile: Path) -> webdriver.Chrome:
    """Headless Chromium with a throwaway profile, no network chatter, console logs kept."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))


@pytest.fixture(scope="module")
def driver() -> Iterator[webdriver.Chrome]:
    profile = Path(tempfile.mkdtemp(prefix="newskg-chromium-"))
    browser = make_driver(profile)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


def sample_graph() -> nx.MultiDiGraph:
    """Four actors, three events of two types on three dates (projection's "nodes" shape)."""
    g = nx.MultiDiGraph(events_as="nodes")
    actors = {
        "a:luk": ("Alexander Lukashenko", "Person"),
        "a:by": ("Belarus", "Country"),
        "a:us": ("United States", "Country"),
        "a:pris": ("52 political prisoners", "Group"),
    }
    for node, (label, type_) in actors.items():
        g.add_node(node, kind="actor", type=type_, label=label)
    events = [
        ("e:1", "PrisonerRelease", "RELEASE", "0861", "2025-09-11", "a:luk", "a:pris"),
        ("e:2", "SanctionsEased", "EASE", "081", "2025-09-12", "a:us", "a:by"),
        ("e:3", "Meeting", "CONSULT", "036", "2025-10-01", "a:us", "a:luk"),
    ]
    for node, type_, plover, cameo, date, agent, affected in events:
        g.add_node(
            node,
            kind="event",
            type=type_,
            plover=plover,
            cameo=cameo,
            date=date,
            year=int(date[:4]),
            count=1,
            modality="asserted",
            sentence=f"Sentence for {type_}.",
            label=f"{type_} ({date})",
        )
        g.add_edge(agent, node, key="agent", role="agent", label="agent")
        g.add_edge(node, affected, key="affected", role="affected", label="affected")
    return g


def open_page(driver: webdriver.Chrome, path: Path) -> None:
    driver.get_log("browser")  # drop earlier pages' messages
    driver.get(path.as_uri())
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return window.newskgReady === true")
    )


def visible(driver: webdriver.Chrome) -> tuple[int, int]:
    """Visible (nodes, edges) as the page's status line reports them."""
    status = driver.find_element(By.ID, "status")
    return int(status.get_attribute("data-visible-nodes")), int(
        status.get_attribute("data-visible-edges")
    )


def wait_for(driver: webdriver.Chrome, condition, timeout: float = 5.0) -> None:
    WebDriverWait(driver, timeout).until(lambda d: condition())


def severe(driver: webdriver.Chrome) -> list[dict]:
    """Console errors and warnings (a malformed date input value is only a WARNING)."""
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def set_date(driver: webdriver.Chrome, element_id: str, value: str) -> None:
    """Set a date input the way a picker does: new value, then an `input` event."""
    driver.execute_script(
        "const el = document.getElementById(arguments[0]); el.value = arguments[1];"
        "el.dispatchEvent(new Event('input', {bubbles: true}));",
        element_id,
        value,
    )


def test_page_renders_every_node_and_filters_change_what_is_shown(
    driver: webdriver.Chrome, tmp_path: Path
) -> None:
    g = sample_graph()
    page = tmp_path / "graph.html"
    write_html(g, page)
    open_page(driver, page)

    drawn = driver.execute_script(
        "const n = window.newskg.network.body.data.nodes;"
        "return [n.length, n.get({filter: x => !x.hidden}).length,"
        " Object.keys(window.newskg.network.body.nodes).length,"
        " window.newskg.network.body.data.edges.length];"
    )
    assert drawn == [7, 7, 7, 6]
    assert visible(driver) == (7, 6)
    assert "7 of 7 nodes, 6 of 6 edges visible" in driver.find_element(By.ID, "status").text

    # Search: "luk" matches Lukashenko; he and his two events stay visible.
    search = driver.find_element(By.ID, "search")
    search.send_keys("luk")
    wait_for(driver, lambda: visible(driver)[0] != 7)
    assert visible(driver) == (3, 2)
    hidden = driver.execute_script(
        "return window.newskg.nodes.get({filter: x => x.hidden}).map(x => x.label).sort()"
    )
    assert "Belarus" in hidden and "Alexander Lukashenko" not in hidden
    search.clear()
    driver.execute_script(
        "document.getElementById('search').dispatchEvent(new Event('input', {bubbles: true}))"
    )
    wait_for(driver, lambda: visible(driver) == (7, 6))

    # Untick "Meeting": its event node, its two edges go; every actor still has another event.
    box = driver.find_element(By.CSS_SELECTOR, "input.type-filter[value='Meeting']")
    box.click()
    wait_for(driver, lambda: visible(driver) != (7, 6))
    assert visible(driver) == (6, 4)
    box.click()
    wait_for(driver, lambda: visible(driver) == (7, 6))

    # Date range 2025-09-12 .. 2025-09-30 keeps only SanctionsEased (US -> Belarus).
    assert driver.find_element(By.ID, "date-from").get_attribute("value") == "2025-09-11"
    assert driver.find_element(By.ID, "date-to").get_attribute("value") == "2025-10-01"
    set_date(driver, "date-from", "2025-09-12")
    set_date(driver, "date-to", "2025-09-30")
    wait_for(driver, lambda: visible(driver) == (3, 2))
    labels = driver.execute_script(
        "return window.newskg.nodes.get({filter: x => !x.hidden}).map(x => x.label).sort()"
    )
    assert labels == ["Belarus", "SanctionsEased (2025-09-12)", "United States"]

    # Details panel for an event: type, PLOVER, CAMEO, date, count, modality, sentence.
    set_date(driver, "date-from", "2025-09-11")
    set_date(driver, "date-to", "2025-10-01")
    node_id = driver.execute_script(
        "return window.newskg.data.nodes.find(n => n.label.startsWith('Meeting')).id"
    )
    driver.execute_script("window.newskg.selectNode(arguments[0])", node_id)
    details = driver.find_element(By.ID, "details").text
    for text in ("Meeting", "CONSULT", "036", "2025-10-01", "asserted", "Sentence for Meeting."):
        assert text in details

    screenshot = Path("/tmp/newskg-viz-browser.png")
    driver.save_screenshot(str(screenshot))
    assert screenshot.stat().st_size > 10_000
    assert severe(driver) == []


def test_hostile_labels_run_nothing_and_show_as_text(
    driver: webdriver.Chrome, tmp_path: Path
) -> None:
    g = nx.MultiDiGraph()
    hostile = [HOSTILE, BREAKOUT, IMG, "say \"hi\" & 'bye'\u2028next"]
    for i, label in enumerate(hostile):
        g.add_node(f"a{i}", kind="actor", type="Person", label=label)
    g.add_node(
        "e0", kind="event", type="Meeting", date="2025-01-01", label=BREAKOUT, sentence=HOSTILE
    )
    g.add_edge("a0", "e0", key="agent", role="agent")
    g.add_edge("e0", "a1", key="affected", role="affected")
    page = tmp_path / "hostile.html"
    write_html(g, page, title=BREAKOUT)
    open_page(driver, page)

    assert driver.execute_script("return typeof window.pwned") == "undefined"
    assert visible(driver) == (5, 2)
    labels = driver.execute_script("return window.newskg.nodes.get().map(x => x.label)")
    assert sorted(labels) == sorted([*hostile, BREAKOUT])
    assert driver.title == BREAKOUT

    for node in ("n0", "n1", "n2", "n4"):
        driver.execute_script("window.newskg.selectNode(arguments[0])", node)
        heading = driver.find_element(By.CSS_SELECTOR, "#details h2").text
        assert heading in (HOSTILE, BREAKOUT, IMG)
    driver.execute_script("window.newskg.selectNode('n4')")
    assert driver.find_element(By.CSS_SELECTOR, "#details .value-sentence").text == HOSTILE
    assert driver.find_elements(By.CSS_SELECTOR, "#details script, #details img") == []
    # Searching with markup is just text too.
    driver.find_element(By.ID, "search").send_keys("<img")
    wait_for(driver, lambda: visible(driver)[0] == 1)
    time.sleep(0.3)
    driver.execute_script("window.newskg.selectNode('n4')")
    driver.save_screenshot("/tmp/newskg-viz-hostile.png")
    assert driver.execute_script("return typeof window.pwned") == "undefined"
    assert severe(driver) == []


def test_sample_article_page_matches_its_projection(
    driver: webdriver.Chrome, tmp_path: Path
) -> None:
    """A real article, built and projected (both modes), loads cleanly with every node."""
    from kg.settings import Settings
    from kg.viz.project import load_graph, project

    article = (
        Path(__file__).parents[1] / "data/articles/lithuania-russia-prisoner-swap-2024-03-08.txt"
    )
    rdf = load_graph([str(article)], store=None, settings=Settings())
    for mode in ("nodes", "edges"):
        g = project(rdf, events_as=mode)
        assert g.number_of_nodes() > 5
        page = tmp_path / f"{mode}.html"
        write_html(g, page)
        open_page(driver, page)
        assert visible(driver) == (g.number_of_nodes(), g.number_of_edges()), mode
        data = json.loads(
            driver.execute_script("return document.getElementById('graph-data').textContent")
        )
        assert len(data["nodes"]) == g.number_of_nodes()
        assert len(data["edges"]) == g.number_of_edges()
        assert driver.execute_script("return window.newskg.nodes.length") == g.number_of_nodes()
        assert severe(driver) == []


def test_empty_graph_page_loads(driver: webdriver.Chrome, tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    write_html(nx.MultiDiGraph(), page)
    open_page(driver, page)
    assert visible(driver) == (0, 0)
    assert driver.find_element(By.ID, "date-from").get_attribute("disabled") == "true"
    assert severe(driver) == []
