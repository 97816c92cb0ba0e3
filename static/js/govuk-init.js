import { initAll } from "../vendor/govuk-frontend-6.6.0/govuk-frontend.min.js";

initAll();

// Content that htmx swaps in (forms with error summaries, conditional radios, details) needs
// GOV.UK Frontend's components too. htmx:load fires for each new element after a swap.
document.addEventListener("htmx:load", (event) => {
  if (event.target !== document.body) {
    initAll({ scope: event.target });
  }
});
