// Never lose typed work: warn before leaving a page whose forms hold changes not yet saved.
// A form is changed from the first input in it until it is sent. A plain submit leaves the page with
// the form (the others' changes are still warned about); a section saved through htmx is saved when the
// server says so ('mash:saved', mash/common/actions.py). A form shown again after a refusal
// (data-unsaved) still holds what was typed. Forms that only ask (method="get": filters, searches) are
// never watched, nor a form marked data-unsaved-changes="ignore".
export const SAVED = "mash:saved";

const changed = new Set();

const watched = (form) =>
  form instanceof HTMLFormElement && form.method !== "get" && form.dataset.unsavedChanges !== "ignore";

const markUnsaved = (root) => {
  root.querySelectorAll("form[data-unsaved]").forEach((form) => {
    if (watched(form)) changed.add(form);
  });
};

const onInput = (event) => {
  const form = event.target.form;
  if (watched(form)) changed.add(form);
};

document.addEventListener("input", onInput);
document.addEventListener("change", onInput);

document.addEventListener("submit", (event) => {
  // htmx prevents the default of the forms it sends: those keep the page, and are saved only when
  // their answer says so.
  if (!event.defaultPrevented) changed.delete(event.target);
});

document.addEventListener(SAVED, (event) => changed.delete(event.target));

// New content (an htmx section sent back after a refusal) may hold what was typed and not saved.
document.addEventListener("htmx:load", (event) => markUnsaved(event.target));
markUnsaved(document);

window.addEventListener("beforeunload", (event) => {
  for (const form of changed) {
    if (!form.isConnected) changed.delete(form);
  }
  if (changed.size) {
    event.preventDefault();
    event.returnValue = ""; // older browsers show the warning only with a returnValue
  }
});
