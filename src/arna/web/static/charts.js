/* Charts of Arna's pages: every <figure class="chart"> holds a Vega-Lite spec in a JSON data
 * island (made on the server by arna.web.charts) and the same figures as a table.
 *
 * Drawn with the vendored Vega files in /static/vega (no CDN): Vega-Lite compiles the spec,
 * Vega parses it to an AST and runs its expressions with the interpreter, so the page's CSP
 * needs no 'unsafe-eval'. The chart is SVG in the bundled Noto Sans, as wide as its box, and
 * drawn again when that width changes. Once drawn, the table stays in the page for screen
 * readers (the SVG is hidden from them) and a button shows it to everyone; if anything fails,
 * the table simply stays visible.
 */
(function () {
  "use strict";

  var MIN_WIDTH = 200;

  function ready() {
    return typeof vega !== "undefined" && typeof vegaLite !== "undefined" &&
      typeof vega.expressionInterpreter === "object";
  }

  function sized(spec, width) {
    var copy = JSON.parse(JSON.stringify(spec));
    if (copy.vconcat) {
      // Vega-Lite cannot fit a concatenation to a width: leave room for the y axis.
      copy.vconcat.forEach(function (part) { part.width = Math.max(MIN_WIDTH - 60, width - 60); });
    } else {
      copy.width = width;
      copy.autosize = { type: "fit-x", contains: "padding" };
      var y = copy.encoding && copy.encoding.y;
      if (y && y.type === "nominal" && y.axis) {
        // Long names (bodies) take at most ~40% of a phone's width; the table has them whole.
        y.axis.labelLimit = Math.max(90, Math.round(width * 0.4));
      }
    }
    return copy;
  }

  function tableToggle(figure, table) {
    if (figure.querySelector(".chart-toggle")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "chart-toggle link-button";
    button.setAttribute("aria-controls", table.id);
    button.setAttribute("aria-expanded", "false");
    button.textContent = figure.getAttribute("data-label-show") || "Table";
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      table.classList.toggle("visually-hidden", open);
      button.setAttribute("aria-expanded", open ? "false" : "true");
      button.textContent = figure.getAttribute(open ? "data-label-show" : "data-label-hide");
    });
    table.insertAdjacentElement("beforebegin", button);
  }

  function draw(figure) {
    var box = figure.querySelector(".chart-view");
    var island = figure.querySelector("script.chart-spec");
    var table = figure.querySelector(".chart-table");
    if (!box || !island || !table) return;
    var width = Math.max(MIN_WIDTH, Math.floor(box.clientWidth || figure.clientWidth));
    if (figure.__arnaWidth === width) return;
    figure.__arnaWidth = width;
    var spec = JSON.parse(island.textContent);
    var locale = spec.usermeta && spec.usermeta.locale;
    var compiled = vegaLite.compile(sized(spec, width), { logger: vega.logger(vega.Error) }).spec;
    var runtime = vega.parse(compiled, null, { ast: true });
    var view = new vega.View(runtime, {
      expr: vega.expressionInterpreter,
      renderer: "svg",
      container: box,
      hover: true,
      locale: locale ? { number: locale } : undefined
    });
    if (figure.__arnaView) figure.__arnaView.finalize();
    figure.__arnaView = view;
    return view.runAsync().then(function () {
      var svg = box.querySelector("svg");
      if (!svg) throw new Error("chart: nothing drawn");
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
      if (!figure.hasAttribute("data-ready")) {
        table.classList.add("visually-hidden");
        tableToggle(figure, table);
      }
      figure.setAttribute("data-ready", "true");
    });
  }

  function drawSafely(figure) {
    try {
      var running = draw(figure);
      if (running) running.catch(function (error) { fail(figure, error); });
    } catch (error) {
      fail(figure, error);
    }
  }

  function fail(figure, error) {
    var box = figure.querySelector(".chart-view");
    if (box) box.hidden = true;
    figure.setAttribute("data-ready", "failed");
    if (window.console) console.warn("chart not drawn:", error && error.message);
  }

  function start() {
    if (!ready()) return;
    var figures = Array.prototype.slice.call(document.querySelectorAll("figure.chart"));
    var drawAll = function () { figures.forEach(drawSafely); };
    var fonts = document.fonts && document.fonts.ready;
    // Vega measures text to lay out axes: wait for Noto Sans so labels are measured in it.
    (fonts ? document.fonts.load("12px 'Noto Sans'").then(function () { return fonts; }) : Promise.resolve())
      .then(drawAll, drawAll);
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(drawAll, 200);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
