// The map's "Status as of" date. Typing a year into a date field makes the browser report a
// change per key (0002, 0020, 0202, 2025), and each change would ask the server and add a
// history entry. The field's own changes are kept from the filter form; once the date is complete
// and plausible and the typing has paused (or the field loses focus), the form hears one
// "date-settled" event, which its data-hx-trigger lists. Enter and the Show button still submit.
(function () {
  "use strict";

  var PAUSE_MS = 400;
  var EARLIEST_YEAR = 1900;
  var timer = null;

  function settled(input) {
    if (!input.value || !input.validity.valid) {
      return false;
    }
    return parseInt(input.value.slice(0, 4), 10) >= EARLIEST_YEAR;
  }

  function fire(input) {
    clearTimeout(timer);
    timer = null;
    if (settled(input) && input.value !== input.getAttribute("data-requested")) {
      input.setAttribute("data-requested", input.value);
      htmx.trigger(input.form, "date-settled");
    }
  }

  function isDate(element) {
    return element && element.matches && element.matches("[data-settle-date]");
  }

  function onEdit(event) {
    if (!isDate(event.target)) {
      return;
    }
    event.stopPropagation();
    var input = event.target;
    clearTimeout(timer);
    timer = settled(input) ? setTimeout(fire, PAUSE_MS, input) : null;
  }

  document.addEventListener("change", onEdit, true);
  document.addEventListener("input", onEdit, true);
  document.addEventListener(
    "blur",
    function (event) {
      if (isDate(event.target) && timer !== null) {
        fire(event.target);
      }
    },
    true,
  );
  document.addEventListener(
    "submit",
    function (event) {
      var input = event.target.querySelector && event.target.querySelector("[data-settle-date]");
      if (input) {
        clearTimeout(timer);
        timer = null;
        input.setAttribute("data-requested", input.value);
      }
    },
    true,
  );
})();
