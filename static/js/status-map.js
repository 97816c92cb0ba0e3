// The dashboard's status map. The server draws it as SVG (#status-map-svg): every coloured country
// is a link to its panel, which this script opens in place with htmx. When the user points at the
// map (mouse, pen or touch), Plotly, the page's largest file, is fetched and draws the figure the
// server put in #status-map-data (Plotly.react) in the same box, with hover labels; a click on a
// coloured country opens its panel the same way. Until then no long task runs: the table, text
// and form answer input at once. The country whose panel is open is outlined in either map
// (Plotly: the trace with uid "selected-country"), whether the panel was opened from the map or
// the table, and the outline goes when the panel closes. No inline scripts: the page has a
// strict CSP.
(function () {
  "use strict";

  var PANEL = "#country-panel";
  var SELECTED_UID = "selected-country";
  var self = document.currentScript;
  var plotlySource = self && self.getAttribute("data-plotly");
  var nonce = self && self.nonce;
  var waiting = [];
  // Set once the user has pointed at the map: maps that htmx loads later are drawn by Plotly too.
  var interactive = false;

  function withPlotly(callback) {
    if (window.Plotly) {
      callback();
      return;
    }
    waiting.push(callback);
    if (waiting.length > 1 || !plotlySource) {
      return;
    }
    var tag = document.createElement("script");
    tag.src = plotlySource;
    if (nonce) {
      tag.nonce = nonce;
    }
    tag.onload = function () {
      var queued = waiting;
      waiting = [];
      queued.forEach(function (run) { run(); });
      document.dispatchEvent(new CustomEvent("plotly-ready"));
    };
    document.head.appendChild(tag);
  }

  function readFigure() {
    var script = document.getElementById("status-map-data");
    if (!script) {
      return null;
    }
    try {
      return JSON.parse(script.textContent);
    } catch (error) {
      return null;
    }
  }

  function openPanel(url) {
    if (url) {
      htmx.ajax("GET", url, { target: PANEL, swap: "outerHTML" });
    }
  }

  function panelCode() {
    var panel = document.querySelector(PANEL);
    return panel ? panel.getAttribute("data-country-code") : "";
  }

  // --- The server's SVG -------------------------------------------------------------------------

  function isNarrow(svg) {
    return svg.clientWidth < Number(svg.getAttribute("data-narrow-below"));
  }

  // On a phone-sized map, the closer frame the figure's "narrow" names; names keep their size in
  // CSS pixels whatever the map's scale.
  function fitSvg(svg) {
    var narrow = isNarrow(svg);
    var box = svg.getAttribute(narrow ? "data-narrow-box" : "data-box");
    if (svg.getAttribute("viewBox") !== box) {
      svg.setAttribute("viewBox", box);
      var clip = svg.querySelector("clipPath rect");
      var parts = box.split(" ");
      ["x", "y", "width", "height"].forEach(function (name, index) {
        clip.setAttribute(name, parts[index]);
      });
    }
    var view = svg.viewBox.baseVal;
    var scale = Math.min(svg.clientWidth / view.width, svg.clientHeight / view.height) || 1;
    var size = Number(svg.getAttribute(narrow ? "data-narrow-name-size" : "data-name-size"));
    svg.setAttribute("font-size", String(Math.round((size / scale) * 10) / 10));
  }

  function outlineSvg(code) {
    var svg = document.getElementById("status-map-svg");
    var outline = svg && svg.querySelector(".app-map__selected");
    if (!outline) {
      return;
    }
    var country = code ? svg.querySelector('path[data-code="' + code + '"]') : null;
    outline.setAttribute("d", country ? country.getAttribute("d") : "");
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#status-map-svg a[href]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    openPanel(link.getAttribute("href"));
  });

  // --- Plotly's map -----------------------------------------------------------------------------

  function onClick(plot) {
    return function (event) {
      var point = event && event.points && event.points[0];
      var template = plot.getAttribute("data-panel-url");
      if (point && typeof point.customdata === "string" && template) {
        openPanel(template.replace("COUNTRY", encodeURIComponent(point.customdata)));
      }
    };
  }

  // Plotly takes the SVG's box: its height, and on a phone its closer frame and smaller names.
  function fitFigure(figure, svg) {
    var layout = figure.layout;
    layout.height = Math.round(svg.getBoundingClientRect().height);
    var narrow = figure.narrow;
    if (!narrow || !isNarrow(svg)) {
      return;
    }
    var geo = narrow.geo || {};
    if (geo["lonaxis.range"]) {
      layout.geo.lonaxis = Object.assign({}, layout.geo.lonaxis, { range: geo["lonaxis.range"] });
      layout.geo.lataxis = Object.assign({}, layout.geo.lataxis, { range: geo["lataxis.range"] });
    }
    figure.data.forEach(function (trace) {
      if (trace.type === "scattergeo" && trace.textfont) {
        trace.textfont = Object.assign({}, trace.textfont, { size: narrow.name_size });
      }
    });
  }

  function draw() {
    var plot = document.getElementById("status-map-plot");
    var svg = document.getElementById("status-map-svg");
    var figure = readFigure();
    if (!plot || !svg || !figure || plot.hubtrackerDrawing) {
      return;
    }
    if (!window.Plotly) {
      withPlotly(draw);
      return;
    }
    plot.hubtrackerDrawing = true;
    fitFigure(figure, svg);
    var config = Object.assign({}, figure.config, {
      topojsonURL: plot.getAttribute("data-topojson-url"),
    });
    window.Plotly.react(plot, figure.data, figure.layout, config).then(function () {
      plot.on("plotly_click", onClick(plot));
      svg.remove();
      plot.classList.add("app-map__plot--drawn");
      outline(panelCode());
      plot.setAttribute("data-drawn", "true");
    });
  }

  function outlinePlotly(code) {
    var plot = document.getElementById("status-map-plot");
    if (!plot || !plot.data || !window.Plotly) {
      return;
    }
    var index = plot.data.findIndex(function (trace) {
      return trace.uid === SELECTED_UID;
    });
    if (index < 0) {
      return;
    }
    var locations = code ? [code] : [];
    window.Plotly.restyle(
      plot,
      { locations: [locations], z: [locations.map(function () { return 1; })] },
      [index],
    );
  }

  function outline(code) {
    outlineSvg(code);
    outlinePlotly(code);
  }

  document.addEventListener("pointerover", function (event) {
    if (!interactive && event.target.closest && event.target.closest("#status-map-svg")) {
      interactive = true;
      draw();
    }
  });

  var resizing = false;
  window.addEventListener("resize", function () {
    var svg = document.getElementById("status-map-svg");
    if (svg && !resizing) {
      resizing = true;
      window.requestAnimationFrame(function () {
        resizing = false;
        fitSvg(svg);
      });
    }
  });

  var loaded = false;
  htmx.onLoad(function (element) {
    var svg = document.getElementById("status-map-svg");
    if (svg && element.contains(svg)) {
      fitSvg(svg);
      if (interactive) {
        draw();
      }
    }
    if (element.id === "country-panel") {
      outline(element.getAttribute("data-country-code"));
    }
    // Move focus to a country panel the user asked for, not on the first page load.
    if (loaded && element.id === "country-panel") {
      element.focus();
    }
    loaded = true;
  });
})();
