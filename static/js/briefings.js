// The briefings page. Download buttons: say that the file is being prepared, and stop a
// second click from starting a second export. The download itself is a normal link, so the
// browser shows its own progress. Works after htmx swaps too (event delegation).
const BUSY_MS = 8000;

document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-app-download]");
  if (!link) return;
  if (link.getAttribute("aria-disabled") === "true") {
    event.preventDefault();
    return;
  }
  const original = link.textContent;
  const status = document.querySelector(".app-download-status");
  link.textContent = link.dataset.appDownload;
  link.setAttribute("aria-disabled", "true");
  link.classList.add("govuk-button--disabled", "app-button--busy");
  if (status) status.textContent = `${link.dataset.appDownload} Your browser will show the download when it is ready.`;
  window.setTimeout(() => {
    link.textContent = original;
    link.removeAttribute("aria-disabled");
    link.classList.remove("govuk-button--disabled", "app-button--busy");
    if (status) status.textContent = "";
  }, BUSY_MS);
});

// After an htmx swap of the briefing builder, move focus as GOV.UK pages do after a submit:
// to the error summary when there are errors, otherwise to the preview's title.
document.body.addEventListener("htmx:afterSettle", (event) => {
  const builder = document.getElementById("briefing-builder");
  if (!builder || event.detail.target?.id !== "briefing-builder") return;
  const target =
    builder.querySelector(".govuk-error-summary") ||
    document.getElementById("briefing-preview-title");
  if (target) {
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }
});
