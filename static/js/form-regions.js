// Forms that open in place with htmx (add, correct or retract an event) inside a slot marked
// data-form-slot. When one opens, focus moves to its heading, so keyboard and screen reader users
// land in the form rather than on the link that asked for it. Its Cancel link (data-form-cancel)
// closes the form and gives focus back to the control that opened it. Without JavaScript the same
// links open the full-page form, whose Cancel goes back to where the user came from.
(function () {
  "use strict";

  var openers = new WeakMap();

  function slotOf(element) {
    return element && element.closest ? element.closest("[data-form-slot]") : null;
  }

  function focusHeading(slot) {
    var heading = slot.querySelector("[data-form-region] h2, [data-form-region] h1");
    var target = heading || slot.querySelector("input:not([type=hidden]), select, textarea");
    if (!target) {
      return;
    }
    if (target === heading && !heading.hasAttribute("tabindex")) {
      heading.classList.add("app-form-region__heading");
      heading.setAttribute("tabindex", "-1");
    }
    target.focus();
  }

  // Remember which link or button asked for the form a slot is about to receive.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.target;
    var opener = event.detail.elt;
    if (target && target.matches && target.matches("[data-form-slot]") && !slotOf(opener)) {
      openers.set(target, opener);
    }
  });

  // A swap into a slot, or of a form region inside one (Continue, Add another, a form with
  // errors): once settled, move focus into the slot unless something there took it already (the
  // error summary and the success banner focus themselves).
  // Each swap's slot is noted under the swap's target, so that another swap on the page settling
  // in between (a region refreshing itself) neither takes nor drops this one's focus.
  var settling = new WeakMap();
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var slot = target && target.matches && target.matches("[data-form-slot]") ? target : slotOf(target);
    if (slot) {
      settling.set(target, slot);
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    var slot = target ? settling.get(target) : null;
    if (!slot) {
      return;
    }
    settling.delete(target);
    if (slot.isConnected && !slot.contains(document.activeElement)) {
      focusHeading(slot);
    }
  });

  document.addEventListener("click", function (event) {
    var cancel = event.target.closest ? event.target.closest("[data-form-cancel]") : null;
    var slot = slotOf(cancel);
    if (!cancel || !slot || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    slot.textContent = "";
    var opener = openers.get(slot);
    if (opener && opener.isConnected) {
      opener.focus();
    }
  });
})();
