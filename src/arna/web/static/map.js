/* Choropleth maps of Arna's public pages: Leaflet over the bundled boundaries, no tile server.
 *
 * A map is any element with class "map" and data-src pointing to a GeoJSON FeatureCollection
 * whose features carry name, url, fill and preformatted figures (rate_text, appeals_text,
 * on_time_text), plus a legend. Labels come from the element's data-label-* attributes.
 * Every text from the data reaches the page through textContent, never as HTML.
 */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function localUrl(url) {
    // Only links inside this site: "/regions/..." but not "//elsewhere" or "javascript:".
    return typeof url === "string" && /^\/(?!\/)/.test(url) ? url : null;
  }

  function details(props, labels) {
    var box = el("div", "map-tip");
    box.appendChild(el("strong", "map-name", props.name));
    [
      [labels.rate, props.rate_text],
      [labels.appeals, props.appeals_text],
      [labels.onTime, props.on_time_text]
    ].forEach(function (pair) {
      var line = el("div");
      line.appendChild(el("span", null, pair[0] + ": "));
      line.appendChild(el("strong", null, pair[1]));
      box.appendChild(line);
    });
    var url = localUrl(props.url);
    if (url) {
      var link = el("a", "map-link", labels.open);
      link.href = url;
      box.appendChild(link);
    }
    return box;
  }

  function legend(container, items, title) {
    // Under the map rather than on it, so that it never hides a district on a phone.
    var box = el("div", "map-legend");
    box.appendChild(el("strong", null, title));
    items.forEach(function (item) {
      var entry = el("span");
      var swatch = el("i");
      swatch.style.background = item.fill;
      entry.appendChild(swatch);
      entry.appendChild(el("span", null, item.label));
      box.appendChild(entry);
    });
    container.insertAdjacentElement("afterend", box);
  }

  function draw(container) {
    var labels = {
      rate: container.getAttribute("data-label-rate") || "",
      appeals: container.getAttribute("data-label-appeals") || "",
      onTime: container.getAttribute("data-label-on-time") || "",
      open: container.getAttribute("data-label-open") || ""
    };
    fetch(container.getAttribute("data-src"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        if (!response.ok) throw new Error("map data: HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        if (!data.features || !data.features.length) return;
        container.hidden = false;
        var map = L.map(container, { scrollWheelZoom: false, zoomSnap: 0.25 });
        var base = { color: "#7b8794", weight: 1, fillOpacity: 0.9 };
        var layer = L.geoJSON(data, {
          style: function (feature) {
            return L.extend({ fillColor: feature.properties.fill }, base);
          },
          onEachFeature: function (feature, shape) {
            shape.bindTooltip(el("span", null, feature.properties.name), { sticky: true });
            shape.bindPopup(details(feature.properties, labels));
            shape.on("mouseover", function () { shape.setStyle({ color: "#1b1f24", weight: 2 }); });
            shape.on("mouseout", function () { layer.resetStyle(shape); });
          }
        }).addTo(map);
        map.fitBounds(layer.getBounds(), { padding: [6, 6] });
        legend(container, data.legend || [], labels.rate);
        container.setAttribute("data-ready", "true");
      })
      .catch(function () {
        container.hidden = true; // the table keeps the figures
      });
  }

  function start() {
    if (typeof L === "undefined") return;
    Array.prototype.forEach.call(document.querySelectorAll(".map[data-src]"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
