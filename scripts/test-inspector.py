#!/usr/bin/env python3
"""Browser test of `tokenscope serve`, driven as a person would through headless Chromium.

Synthesises two small models, surveys them, serves both, loads the page and fails (exit 1) on any
console error or request to another origin, unless it can: hover a known point and read its
tooltip, search a token's text and find it highlighted, pin a black hole and list its members, pin
a token and list its exact neighbours. Saves screenshots under docs/ for the README.

Needs Debian's `chromium` and `chromium-driver` and Python `selenium` (4.x); scripts/ci-inspector.sh
installs them. Usage:
  scripts/test-inspector.py [--tokenscope .build/debug/tokenscope] [--screenshots docs] [--survey DIR ...]
With --survey, serves existing survey folders instead (and prints the first-draw time: a benchmark).
"""
import argparse, csv, json, os, re, shutil, subprocess, sys, tempfile, time, urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


def run(cmd):
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def make_surveys(tokenscope, work):
    surveys = []
    for name, preset, seed in [("small-seed1", "small", "1"), ("tiny-seed2", "tiny", "2")]:
        model, survey = os.path.join(work, name + "-model"), os.path.join(work, name)
        run([tokenscope, "synth", "--preset", preset, "--seed", seed, "--out", model, "--quiet"])
        run([tokenscope, "survey", model, "--out", survey, "--no-witnesses", "--quiet"])
        surveys.append(survey)
    return surveys


def start_server(tokenscope, surveys):
    server = subprocess.Popen([tokenscope, "serve", *surveys, "--port", "0", "--quiet"], stdout=subprocess.PIPE, text=True)
    for line in server.stdout:
        match = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        if match:
            return server, match.group(1)
    server.kill()
    sys.exit("test-inspector: serve did not start")


def browser():
    options = Options()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1100", "--disable-dev-shm-usage",
                     "--no-first-run", "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                     "--disable-default-apps", "--disable-sync"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    for binary in ["/usr/bin/chromium", shutil.which("chromium") or ""]:
        if binary and os.path.exists(binary):
            options.binary_location = binary
            break
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(driver_path), options=options)


class Check:
    def __init__(self):
        self.failures = []

    def __call__(self, ok, what):
        print(("ok   " if ok else "FAIL ") + what, flush=True)
        if not ok:
            self.failures.append(what)


def wait(driver, condition, timeout=30):
    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(lambda d: d.execute_script(condition))


def api(base, path):
    with urllib.request.urlopen(base + path.lstrip("/")) as response:
        return json.load(response)


def readable_token(survey_dir):
    """A reachable token whose readable form is plain letters, from the survey's token table."""
    with open(os.path.join(survey_dir, "1.8d_token_table.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            text = row["readable"]
            if row["category"] == "OK" and len(text) >= 4 and text.isalpha():
                return int(row["id"]), text
    sys.exit("test-inspector: no plain-text token in " + survey_dir)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokenscope", default=".build/debug/tokenscope")
    parser.add_argument("--screenshots", default="docs")
    parser.add_argument("--survey", action="append", help="serve these survey folders instead of synthetic ones")
    args = parser.parse_args()
    check = Check()
    work = tempfile.mkdtemp(prefix="tokenscope-inspector-")
    surveys = args.survey or make_surveys(args.tokenscope, work)
    server, base = start_server(args.tokenscope, surveys)
    driver = None
    try:
        driver = browser()
        start = time.time()
        driver.get(base)
        wait(driver, "return document.body.dataset.ready === 'true'", timeout=120)
        first_draw = driver.execute_script("return window.tokenscope.firstDrawMs")
        print("first full draw %.0f ms after navigation (page ready %.2f s of wall time)" % (first_draw, time.time() - start))
        redraw = driver.execute_script("""
            const times = [];
            for (let r = 0; r < 9; r++) {
              const t = performance.now();
              for (const p of window.tokenscope.panels) for (const m of p.maps) m.draw();
              times.push(performance.now() - t);
            }
            return times.sort((a, b) => a - b)[4];""")
        print("redraw of every map (what a pan or zoom step costs): %.0f ms, median of 9" % redraw)
        panels = driver.execute_script("return window.tokenscope.panels.length")
        check(panels == min(2, len(surveys)), "%d surveys side by side" % panels)

        # Hover: a point the grid finds at its own rounded screen position.
        token_id = driver.execute_script("""
            const m = window.tokenscope.panels[0].maps[0];
            for (let id = 0; id < m.points.n; id++) {
              if (!isFinite(m.xs[id])) continue;
              const p = m.locate(id), e = { clientX: Math.round(p.x), clientY: Math.round(p.y) };
              if (e.clientX < 5 || e.clientY < 5 || e.clientX > innerWidth - 5 || e.clientY > innerHeight - 5) continue;
              if (m.hitTest(e) === id) return id;
            }
            return -1;""")
        check(token_id >= 0, "a hoverable point exists")
        position = driver.execute_script("const p = window.tokenscope.panels[0].maps[0].locate(arguments[0]); return [Math.round(p.x), Math.round(p.y)]", token_id)
        actions = ActionBuilder(driver)
        actions.pointer_action.move_to_location(position[0], position[1])
        actions.perform()
        expected = api(base, "/api/tokens/%d?k=0" % token_id)
        try:
            wait(driver, "const t = document.getElementById('tooltip'); return !t.hidden && t.textContent.includes('population')", timeout=10)
        except Exception:
            pass
        tooltip = driver.find_element(By.ID, "tooltip").text
        check(("id         %d" % token_id) in tooltip or ("id %d" % token_id) in tooltip.replace("  ", " "), "tooltip names token %d" % token_id)
        check(expected["population"] in tooltip and expected["script"] in tooltip, "tooltip shows population and script: " + tooltip.replace("\n", " | ")[:160])

        # Search a token's text: its encoding is itself, and it is highlighted.
        search_id, text = readable_token(surveys[0])
        box = driver.find_element(By.CSS_SELECTOR, ".panel .search-input")
        box.clear()
        box.send_keys(text, Keys.ENTER)
        selector = ".panel .results ul.encoding li.highlighted[data-id='%d']" % search_id
        try:
            wait(driver, "return document.querySelector(%s) !== null" % json.dumps(selector), timeout=15)
        except Exception:
            pass
        check(driver.execute_script("return document.querySelector(arguments[0]) !== null", selector), "search %r lists token %d highlighted" % (text, search_id))
        check(driver.execute_script("return window.tokenscope.panels[0].highlightSet.has(arguments[0])", search_id), "token %d highlighted on the maps" % search_id)

        # Pin the largest black hole and list its members.
        group = api(base, "/api/blackholes/0")
        driver.find_element(By.CSS_SELECTOR, ".panel .black-holes button.show-members").click()
        try:
            wait(driver, "return document.querySelectorAll('.panel .members li').length === %d" % len(group["members"]), timeout=15)
        except Exception:
            pass
        listed = driver.execute_script("return document.querySelectorAll('.panel .members li').length")
        check(listed == len(group["members"]), "black hole 0 lists its %d members (page shows %d)" % (len(group["members"]), listed))

        # Pin a member: its exact neighbours are listed, identical rows first.
        member = group["members"][1]["id"]
        driver.find_element(By.CSS_SELECTOR, ".panel .members li[data-id='%d'] button" % member).click()
        try:
            wait(driver, "return document.querySelectorAll('.panel .pinned ol.neighbours li').length === 10", timeout=30)
        except Exception:
            pass
        neighbours = driver.execute_script("return [...document.querySelectorAll('.panel .pinned ol.neighbours li')].map(li => li.textContent)")
        exact = api(base, "/api/tokens/%d?k=10" % member)["neighbours"]
        check(len(neighbours) == 10 and all(n.startswith(str(e["id"]) + " ") for n, e in zip(neighbours, exact)), "pinned token %d lists its 10 exact neighbours" % member)

        # Keyboard: the maps take focus and zoom with +.
        canvas = driver.find_element(By.CSS_SELECTOR, ".panel canvas.sky")
        canvas.send_keys("+")
        check(driver.execute_script("return document.activeElement === arguments[0]", canvas), "the sky map takes keyboard focus")

        if args.screenshots:
            # The top of the page: both panels' maps, the black hole's members ringed, a pinned token.
            os.makedirs(args.screenshots, exist_ok=True)
            driver.set_window_size(1400, 1250)
            driver.execute_script("window.scrollTo(0, 0); document.activeElement.blur()")
            time.sleep(0.5)
            path = os.path.join(args.screenshots, "inspector.png")
            driver.save_screenshot(path)
            print("wrote", path)

        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        check(not errors, "no console errors" + ("" if not errors else ": " + "; ".join(e["message"] for e in errors)[:300]))
        origin = base.rstrip("/")
        external = set()
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                url = message["params"]["request"]["url"]
                if not (url.startswith(origin + "/") or url == origin or url.startswith("data:")):
                    external.add(url)
        check(not external, "no request to another origin" + ("" if not external else ": " + ", ".join(sorted(external))[:300]))
    finally:
        if driver:
            driver.quit()
        server.terminate()
        server.wait(timeout=10)
        if not args.survey:
            shutil.rmtree(work, ignore_errors=True)
    if check.failures:
        print("test-inspector: %d checks failed" % len(check.failures))
        return 1
    print("test-inspector: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
