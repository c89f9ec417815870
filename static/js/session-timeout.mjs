// The idle timeout's warning: shown before the server signs the session out, with 'Stay signed in'.
// Any request (a page, an htmx swap, the button) starts the idle clock again on the server; so here.
const banner = document.getElementById("idle-warning");

if (banner) {
  const timeout = Number(banner.dataset.idleTimeout) * 1000;
  const warning = Number(banner.dataset.idleWarning) * 1000;
  const form = banner.querySelector("form");
  let warnTimer;
  let endTimer;

  const restart = () => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    banner.hidden = true;
    warnTimer = setTimeout(() => {
      banner.hidden = false;
    }, Math.max(0, timeout - warning));
    // After the timeout the server has signed the session out: reloading shows the sign-in page.
    endTimer = setTimeout(() => window.location.reload(), timeout + 1000);
  };

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
