// Draws the status-over-time charts: every element with data-figure names the json_script
// element that holds its Plotly figure (built on the server from the status rule). No inline
// scripts (strict CSP); the table next to each chart carries the same information.
(function () {
  "use strict";

  var NARROW_PX = 560;
  var LINE_CHARACTERS = 12;

  // "Bosnia and Herzegovina" -> "Bosnia and<br>Herzegovina": lines of about LINE_CHARACTERS.
  function wrapped(name) {
    var lines = [];
    String(name)
      .split(" ")
      .forEach(function (word) {
        var last = lines.length - 1;
        if (last >= 0 && (lines[last] + " " + word).length <= LINE_CHARACTERS) {
          lines[last] += " " + word;
        } else {
          lines.push(word);
        }
      });
    return lines.join("<br>");
  }

  // On a phone the country names would take most of the width: wrap them, make the margin and
  // the type smaller and mark years only, so the lanes keep more than half the chart.
  function fitted(layout, width) {
    if (width >= NARROW_PX || !layout.yaxis || !layout.yaxis.ticktext) {
      return layout;
    }
    return Object.assign({}, layout, {
      font: Object.assign({}, layout.font, { size: 12 }),
      margin: Object.assign({}, layout.margin, { l: 96, r: 12 }),
      xaxis: Object.assign({}, layout.xaxis, { dtick: "M12", tickangle: 0, tickformat: "%Y" }),
      yaxis: Object.assign({}, layout.yaxis, { ticktext: layout.yaxis.ticktext.map(wrapped) }),
    });
  }

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
      Plotly.react(plot, figure.data, fitted(figure.layout, plot.clientWidth), {
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
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(draw, 200, document);
  });
  // The dashboard fetches Plotly after the page has loaded (status-map.js).
  document.addEventListener("plotly-ready", function () {
    draw(document);
  });
})();
