"""Every page a browser test visits is checked by axe-core, without the test asking.

How: axe is added to every document of a watched browser context as an init script, and a
Playwright locator handler matches ``body`` until the current document has been checked. Playwright
runs a locator handler before every action and every auto-waiting assertion, so the first thing
that happens on each new page is an axe run; a DOM insertion (an htmx swap) clears the mark and
the next action checks the page again. After the test body, ``PageWatch.finish`` checks the last
page and fails the test on:

- an axe violation of any impact (minor, moderate, serious or critical), with axe's default rules;
- a page that was loaded but never checked (left before any action or assertion ran on it);
- a page without the service's stylesheet;
- a failed sub-resource (4xx/5xx or blocked), a JavaScript error or a CSP violation.

Why an init script rather than ``page.add_script_tag``: the site's Content-Security-Policy allows
only its own scripts and nonced inline ones, so the inline tag that ``add_script_tag`` writes is
refused. Init scripts are run by the browser itself, outside the CSP, so the CSP stays enforced in
these tests (``bypass_csp`` would have hidden a script the policy blocks) and a CSP violation fails
the test instead.
"""

from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
STYLESHEET = "/static/build/mash.css"

# Runs in each new document before the page's own scripts (main frame only).
_MARK_DOCUMENTS = """
if (window.top === window) {
  const documentId = crypto.randomUUID();
  Object.defineProperty(window, "__mashDocumentId", {value: documentId});
  document.addEventListener("DOMContentLoaded", () => {
    window.__mashDocumentLoaded(documentId);
    // New content (an htmx swap, a script's insertion) has not been checked yet.
    new MutationObserver(() => document.body.removeAttribute("data-axe-checked"))
      .observe(document.body, {childList: true, subtree: true});
  });
}
"""

_RUN_AXE = """async (stylesheet) => {
  const results = await axe.run(document);
  document.body.setAttribute("data-axe-checked", "");
  const styled = [...document.styleSheets].some(
    (sheet) => sheet.href && new URL(sheet.href).pathname === stylesheet && sheet.cssRules.length > 0);
  return {
    documentId: window.__mashDocumentId,
    url: location.pathname + location.search,
    title: document.title,
    styled,
    violations: results.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.slice(0, 5).map((node) => node.target.join(" ")),
    })),
  };
}"""

_UNCHECKED = "body:not([data-axe-checked])"


@dataclass
class PageWatch:
    """The accessibility and page-health record of one test's browser pages."""

    base_url: str
    loaded: dict[str, str] = field(default_factory=dict)  # document id -> URL
    checked: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)

    def prepare(self, context: BrowserContext) -> BrowserContext:
        """Give every document of this context axe and a document id. Call before opening pages."""
        context.expose_binding("__mashDocumentLoaded", self._document_loaded)
        context.add_init_script(path=AXE_PATH)
        context.add_init_script(script=_MARK_DOCUMENTS)
        return context

    def watch(self, page: Page) -> Page:
        page.add_locator_handler(page.locator(_UNCHECKED), lambda _: self.check(page))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error: {error}"))
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)
        self.pages.append(page)
        return page

    def check(self, page: Page) -> dict:
        """Run axe on the page as it is now, and record what it finds."""
        page.wait_for_load_state("load")
        result = page.evaluate(_RUN_AXE, STYLESHEET)
        self.checked.add(result["documentId"])
        where = f"{result['url']} ({result['title']})"
        if not result["styled"]:
            self.problems.append(f"{where}: the stylesheet {STYLESHEET} is not applied")
        for violation in result["violations"]:
            self.problems.append(
                f"{where}: axe {violation['impact']} {violation['id']} ({violation['help']}) "
                f"at {', '.join(violation['targets'])}"
            )
        return result

    def finish(self) -> None:
        """Check each open page's last document, then fail on everything recorded."""
        for page in self.pages:
            if (
                not page.is_closed()
                and page.url.startswith(self.base_url)
                and page.locator(_UNCHECKED).count()
            ):
                self.check(page)
        never_checked = [url for document_id, url in self.loaded.items() if document_id not in self.checked]
        problems = self.problems + [f"{url}: loaded but never checked by axe" for url in never_checked]
        assert not problems, "Browser page problems:\n- " + "\n- ".join(problems)

    def _document_loaded(self, source: dict, document_id: str) -> None:
        self.loaded[document_id] = source["frame"].url

    def _console(self, message: ConsoleMessage) -> None:
        # A page answered with 4xx (a form error, a refusal) logs "Failed to load resource" for the
        # document itself; failed sub-resources are caught by _response instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(
                f"console error on {message.page.url if message.page else '?'}: {message.text}"
            )

    def _request_failed(self, request: Request) -> None:
        # Aborted: cancelled by a navigation (an htmx request in flight when a form is submitted),
        # or after an error status, which _response reports.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"{request.resource_type} {request.url} failed: {request.failure}")

    def _response(self, response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(
                f"{response.request.resource_type} {response.url} answered {response.status}"
            )
