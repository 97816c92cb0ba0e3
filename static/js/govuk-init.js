import { initAll } from "../vendor/govuk-frontend-6.6.0/govuk-frontend.min.js";

initAll();

// GOV.UK Frontend marks radios and checkboxes that reveal more questions with aria-expanded,
// which ARIA does not allow on role radio or checkbox: assistive technology may ignore or
// misreport it. The revealed questions follow their option in reading order, so the attribute
// adds nothing: take it off whenever the Design System's script sets it.
const choice = "input.govuk-radios__input, input.govuk-checkboxes__input";
const dropExpanded = (root) => {
  root.querySelectorAll?.(`${choice}[aria-expanded]`).forEach((input) => {
    input.removeAttribute("aria-expanded");
  });
};
new MutationObserver((changes) => {
  for (const change of changes) {
    if (change.type === "attributes" && change.target.matches(choice)) {
      change.target.removeAttribute("aria-expanded");
    }
  }
}).observe(document.body, { attributes: true, attributeFilter: ["aria-expanded"], subtree: true });
dropExpanded(document);

// Content that htmx swaps in (forms with error summaries, conditional radios, details) needs
// GOV.UK Frontend's components too. htmx:load fires for each new element after a swap.
document.addEventListener("htmx:load", (event) => {
  if (event.target !== document.body) {
    initAll({ scope: event.target });
  }
});
