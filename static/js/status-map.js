// Draws the dashboard's status map from the figure the server put in #status-map-data
// (Plotly.react), whenever htmx loads content that contains it, and opens a country's panel in
// place when the user clicks a coloured country. No inline scripts: the page has a strict CSP.
(function () {
  "use strict";

  var PANEL = "#country-panel";

  function readFigure(root) {
    var script = root.querySelector("#status-map-data");
    if (!script) {
      return null;
    }
    try {
      return JSON.parse(script.textContent);
    } catch (error) {
      return null;
    }
  }

  function openPanel(plot, slug) {
    var template = plot.getAttribute("data-panel-url");
    if (!template || !slug) {
      return;
    }
    var url = template.replace("COUNTRY", encodeURIComponent(slug));
    htmx.ajax("GET", url, { target: PANEL, swap: "outerHTML" });
  }

  function onClick(plot) {
    return function (event) {
      var point = event && event.points && event.points[0];
      if (point && typeof point.customdata === "string") {
        openPanel(plot, point.customdata);
      }
    };
  }

  function draw(root) {
    var plot = root.querySelector ? root.querySelector("#status-map-plot") : null;
    if (!plot && root.id === "status-map-plot") {
      plot = root;
    }
    var figure = plot && readFigure(document);
    if (!plot || !figure || !window.Plotly) {
      return;
    }
    var config = Object.assign({}, figure.config, {
      topojsonURL: plot.getAttribute("data-topojson-url"),
    });
    plot.textContent = "";
    plot.classList.add("app-map__plot--drawn");
    window.Plotly.react(plot, figure.data, figure.layout, config).then(function () {
      if (!plot.hubtrackerClickBound) {
        plot.on("plotly_click", onClick(plot));
        plot.hubtrackerClickBound = true;
      }
      plot.setAttribute("data-drawn", "true");
    });
  }

  var loaded = false;
  htmx.onLoad(function (element) {
    draw(element);
    // Move focus to a country panel the user asked for, not on the first page load.
    if (loaded && element.id === "country-panel") {
      element.focus();
    }
    loaded = true;
  });
})();
