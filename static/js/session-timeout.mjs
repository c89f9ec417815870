// The idle timeout's warning: shown before the server signs the session out, with 'Stay signed in'.
// Any request (a page, an htmx swap, the button) starts the idle clock again on the server, and here.
// Before warning, the script asks the server how long is left (asking is not activity): another tab
// may have kept the session alive, and a tab left open must never keep it alive by itself.
const banner = document.getElementById("idle-warning");

if (banner) {
  const timeout = Number(banner.dataset.idleTimeout) * 1000;
  const warning = Number(banner.dataset.idleWarning) * 1000;
  const statusUrl = banner.dataset.statusUrl;
  const form = banner.querySelector("form");
  let timer;

  const wait = (ms, then) => {
    clearTimeout(timer);
    timer = setTimeout(then, Math.max(0, ms));
  };

  const restart = () => {
    banner.hidden = true;
    wait(timeout - warning, check);
  };

  async function check() {
    let left = 0;
    try {
      const response = await fetch(statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      left = (await response.json()).remaining * 1000;
    } catch {
      left = 0;
    }
    if (left <= 0) {
      // Signed out by now: the next page request shows the sign-in page and says why.
      window.location.reload();
    } else if (left > warning + 1000) {
      banner.hidden = true;
      wait(left - warning, check);
    } else {
      banner.hidden = false;
      wait(left + 500, check);
    }
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    const type = response.headers.get("Content-Type") || "";
    if (response.ok && !response.redirected && type.includes("application/json")) {
      restart();
    } else {
      window.location.reload();
    }
  });

  document.body.addEventListener("htmx:afterRequest", restart);
  restart();
}
