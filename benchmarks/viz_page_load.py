"""Page-load time of `kg viz -o graph.html` for a synthetic 5,000-node graph in headless Chromium.

Usage: python benchmarks/viz_page_load.py [--nodes 5000] [--runs 3] [--screenshot PATH]

Builds a graph shaped like the projection ("nodes" mode: actors, events, agent/affected edges,
a few busy actors so most nodes fall in one large component), writes the page, then opens it
in Debian's Chromium (/usr/bin/chromium + /usr/bin/chromedriver) and times navigation start
to `window.newskgReady` (set after vis-network's first drawing). Prints one line per run.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from kg.viz.html import write_html

EVENT_TYPES = (
    ("PrisonerRelease", "RELEASE", "0861"),
    ("SanctionsImposed", "SANCTION", "163"),
    ("SanctionsEased", "EASE", "081"),
    ("Arrest", "ARREST", "173"),
    ("Meeting", "CONSULT", "036"),
    ("Protest", "PROTEST", "141"),
    ("MilitaryAction", "ASSAULT", "190"),
    ("Accusation", "ACCUSE", "112"),
)
ACTOR_TYPES = ("Person", "Organization", "Country", "Location", "Group")


def synthetic_graph(nodes: int, seed: int = 7) -> nx.MultiDiGraph:
    """About 30% actors and 70% events; actor popularity is heavy-tailed, as in news."""
    rng = random.Random(seed)
    actors = max(2, nodes * 3 // 10)
    g = nx.MultiDiGraph(events_as="nodes")
    for i in range(actors):
        g.add_node(f"a{i}", kind="actor", type=rng.choice(ACTOR_TYPES), label=f"Actor {i}")
    weights = [1.0 / (i + 1) ** 0.8 for i in range(actors)]
    for i in range(nodes - actors):
        type_, plover, cameo = rng.choice(EVENT_TYPES)
        date = f"20{rng.randint(20, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        node = f"e{i}"
        g.add_node(
            node,
            kind="event",
            type=type_,
            plover=plover,
            cameo=cameo,
            date=date,
            year=int(date[:4]),
            count=rng.randint(1, 50),
            modality="asserted",
            sentence=f"Synthetic sentence number {i} about {type_}.",
            label=f"{type_} ({date})",
        )
        agent, affected = rng.choices(range(actors), weights=weights, k=2)
        g.add_edge(f"a{agent}", node, key="agent", role="agent")
        if affected != agent:
            g.add_edge(node, f"a{affected}", key="affected", role="affected")
    return g


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--screenshot", type=Path, default=Path("/tmp/newskg-viz-5000.png"))
    args = parser.parse_args()

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    g = synthetic_graph(args.nodes)
    work = Path(tempfile.mkdtemp(prefix="newskg-viz-bench-"))
    page = work / "graph.html"
    started = time.perf_counter()
    write_html(g, page)
    write_seconds = time.perf_counter() - started
    print(
        f"graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges; "
        f"write_html (layout + page) {write_seconds:.2f} s; page {page.stat().st_size / 1e6:.1f} MB"
    )

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
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
        f"--user-data-dir={work / 'profile'}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    try:
        for run in range(1, args.runs + 1):
            driver.get("about:blank")
            driver.get(page.as_uri())
            WebDriverWait(driver, 120, poll_frequency=0.05).until(
                lambda d: d.execute_script("return window.newskgReady === true")
            )
            # The browser's own clock: navigation start to the moment the page said "ready".
            load_ms = driver.execute_script("return window.newskgReadyAt")
            shown = driver.execute_script("return window.newskg.visibleNodeCount()")
            print(f"run {run}: {shown} nodes drawn, ready after {load_ms / 1000:.2f} s")
            if shown != g.number_of_nodes():
                print("error: not every node is shown", file=sys.stderr)
                return 1
        # Interaction: one zoom-and-redraw, then a search over all labels, timed in the page.
        redraw_ms = driver.execute_script(
            "const net = window.newskg.network; const t = performance.now();"
            "return new Promise(r => { net.once('afterDrawing', () => r(performance.now() - t));"
            " net.moveTo({scale: net.getScale() * 1.5}); });"
        )
        print(f"zoom: one frame redrawn in {redraw_ms:.0f} ms")

        driver.execute_script(
            "const el = document.getElementById('search'); el.value = 'Actor 1';"
            "el.dispatchEvent(new Event('input'));"
        )
        WebDriverWait(driver, 30).until(
            lambda d: d.execute_script("return window.newskg.visibleNodeCount()") < len(g)
        )
        shown, filter_ms = driver.execute_script(
            "return [window.newskg.visibleNodeCount(), window.newskg.lastFilterMs()]"
        )
        print(f"search 'Actor 1': {shown} nodes shown, filter took {filter_ms:.0f} ms")
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        print(f"console errors: {len(errors)}")
        driver.execute_script(
            "const el = document.getElementById('search'); el.value = '';"
            "el.dispatchEvent(new Event('input'));"
        )
        time.sleep(0.5)
        driver.save_screenshot(str(args.screenshot))
        print(f"screenshot: {args.screenshot}")
    finally:
        driver.quit()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
