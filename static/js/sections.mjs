// Sections of a page saved on their own through htmx (mash/common/actions.py, partial_template): the
// server sends back the section alone, saved or with its errors, and the rest of the page keeps what
// is typed in it.
//
// Every form in a [data-version-scope] carries the version of the same record. A save moves that
// version on: the other forms that were at the version the section was saved from move on with it.
// A form at an older version keeps it, so that its save is refused as made on an out-of-date copy
// (someone else changed the record) instead of being applied over a change its user has not seen.
import { initAll } from "../build/govuk-frontend.min.js";
import { SAVED } from "./unsaved-changes.mjs";

let saved = null; // the version the form whose section the server has just saved was sent at

document.addEventListener(SAVED, (event) => {
  // The form saved, or the form of the button that saved (a 'Withdraw' button in the attendance form).
  const form = event.target.form ?? event.target;
  saved = { from: form.elements?.version?.value };
});

document.addEventListener("htmx:afterRequest", (event) => {
  // The same answer's: htmx triggers the event, swaps, then ends the request, in one go.
  if (!saved) return;
  const { from } = saved;
  saved = null;
  const section = document.getElementById(event.detail.target.id);
  if (!section) return;
  // The newest message is the one to read: earlier ones, elsewhere on the page, are gone.
  document.querySelectorAll(".govuk-notification-banner--success").forEach((banner) => {
    if (!section.contains(banner)) banner.remove();
  });
  const scope = section.closest("[data-version-scope]");
  const to = section.querySelector('input[name="version"]')?.value;
  if (!scope || from === undefined || to === undefined) return;
  scope.querySelectorAll('input[name="version"]').forEach((input) => {
    if (input.value === from) input.value = to;
  });
});

// An answer that is not the section (the session ended, and the request was sent to the sign-in page;
// a refusal of the whole request; a server error) replaces nothing: what is typed stays, and the
// section says that it was not saved.
const isSection = (element) => Boolean(element?.id?.endsWith("-section"));

const notSaved = (event) => {
  const section = event.detail.target;
  if (!isSection(section)) return;
  section.querySelector(".mash-not-saved")?.remove();
  const message = document.createElement("div");
  message.className = "govuk-error-summary mash-not-saved";
  message.innerHTML =
    '<div role="alert"><h3 class="govuk-error-summary__title">Not saved</h3>' +
    '<div class="govuk-error-summary__body"><p class="govuk-body">This was not saved (you may have been ' +
    "signed out). Copy what you typed somewhere safe, then reload the page to try again.</p></div></div>";
  section.querySelector("h2")?.after(message);
};

document.addEventListener("htmx:beforeSwap", (event) => {
  const { xhr, requestConfig, target } = event.detail;
  if (!isSection(target)) return;
  const sent = new URL(requestConfig.path, location.href).pathname;
  if (xhr.responseURL && new URL(xhr.responseURL).pathname !== sent) {
    event.detail.shouldSwap = false;
    notSaved(event);
  }
});
document.addEventListener("htmx:responseError", notSaved);
document.addEventListener("htmx:sendError", notSaved);

// GOV.UK Frontend's components in content htmx brings (the page's own are started by init.mjs).
document.addEventListener("htmx:load", (event) => {
  if (event.target !== document.body) initAll({ scope: event.target });
});
