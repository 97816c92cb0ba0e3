// Draws the status-over-time charts: every element with data-figure names the json_script
// element that holds its Plotly figure (built on the server from the status rule). No inline
// scripts (strict CSP); the table next to each chart carries the same information.
(function () {
  "use strict";

  function draw(root) {
    if (typeof Plotly === "undefined" || !root.querySelectorAll) {
      return;
    }
    root.querySelectorAll("[data-figure]").forEach(function (plot) {
      var source = document.getElementById(plot.getAttribute("data-figure"));
      if (!source) {
        return;
      }
      var figure;
      try {
        figure = JSON.parse(source.textContent);
      } catch (error) {
        return;
      }
      Plotly.react(plot, figure.data, figure.layout, {
        displayModeBar: false,
        responsive: true,
        scrollZoom: false,
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    draw(document);
  });
  document.addEventListener("htmx:load", function (event) {
    draw(event.target);
  });
  // The dashboard fetches Plotly after the page has loaded (status-map.js).
  document.addEventListener("plotly-ready", function () {
    draw(document);
  });
})();
