/* Choropleth maps of Arna's public pages: Leaflet over the bundled boundaries, no tile server.
 *
 * A map is any element with class "map" and data-src pointing to a GeoJSON FeatureCollection
 * whose features carry name, url, fill and preformatted figures (rate_text, appeals_text,
 * on_time_text; or `lines`, pairs of a label and a text, with the legend's `legend_title`), where their label goes (label, label_at) and whether the place is a marked
 * point too (a city too small to see at this scale), plus a legend. The texts of the map come
 * from the element's data-label-* attributes, the credits from data-credits. Every text from
 * the data reaches the page through textContent, never as HTML.
 *
 * Labels are text markers in the bundled Noto Sans; where two would overlap, the one placed
 * later (smaller places come later) is hidden, and that is worked out again at each zoom.
 */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function localUrl(url) {
    // Only links inside this site: "/regions/..." but not "//elsewhere" or "javascript:".
    return typeof url === "string" && /^\/(?!\/)/.test(url) ? url : null;
  }

  function details(props, labels) {
    var box = el("div", "map-tip");
    box.appendChild(el("strong", "map-name", props.name));
    // A map of other figures than appeals gives its own lines: [[label, text], ...].
    (props.lines || [
      [labels.rate, props.rate_text],
      [labels.appeals, props.appeals_text],
      [labels.onTime, props.on_time_text]
    ]).forEach(function (pair) {
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

  function overlaps(a, b) {
    return !(a.right < b.left || b.right < a.left || a.bottom < b.top || b.bottom < a.top);
  }

  function inside(box, frame) {
    return box.left >= frame.left && box.right <= frame.right &&
      box.top >= frame.top && box.bottom <= frame.bottom;
  }

  var SIDES = ["", "map-label-left", "map-label-below"]; // where a marked point's label may go

  function declutter(container, dots, labels) {
    // The marked points come first and keep their dot clear; then their labels, on the right,
    // the left or below the dot, whichever is free; then the places' labels, larger places
    // first. A label that touches one already shown, or that the edge of the map would cut,
    // is hidden until the next zoom.
    var frame = container.getBoundingClientRect();
    var shown = dots.map(function (dot) { return dot.getElement().getBoundingClientRect(); });
    labels.forEach(function (label) {
      var node = label.getElement();
      if (!node) return;
      var sides = node.classList.contains("map-label-point") ? SIDES : [""];
      node.classList.remove("map-label-hidden");
      var placed = sides.some(function (side) {
        SIDES.forEach(function (other) { if (other) node.classList.remove(other); });
        if (side) node.classList.add(side);
        var box = node.firstChild.getBoundingClientRect();
        var clash = !inside(box, frame) || shown.some(function (other) { return overlaps(box, other); });
        if (!clash) shown.push(box);
        return !clash;
      });
      if (!placed) node.classList.add("map-label-hidden");
    });
  }

  function textMarker(latlng, text, className) {
    var node = el("span", null, text);
    return L.marker(latlng, {
      icon: L.divIcon({ className: className, html: node, iconSize: null }),
      interactive: false,
      keyboard: false
    });
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
        var map = L.map(container, {
          scrollWheelZoom: false,
          zoomSnap: 0.25,
          zoomControl: false,
          attributionControl: false
        });
        // The zoom buttons named in the page's language (Leaflet's own names are English).
        L.control.zoom({
          zoomInTitle: container.getAttribute("data-label-zoom-in") || "Zoom in",
          zoomOutTitle: container.getAttribute("data-label-zoom-out") || "Zoom out"
        }).addTo(map);
        // Plain data credits, without Leaflet's default prefix (a link and a flag).
        var credits = container.getAttribute("data-credits");
        if (credits) {
          var attribution = L.control.attribution({ prefix: false }).addTo(map);
          attribution.addAttribution(escapeHtml(credits));
        }
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
        var points = [];
        var dots = [];
        var names = [];
        layer.eachLayer(function (shape) {
          var p = shape.feature.properties;
          var b = shape.getBounds();
          var size = (b.getNorth() - b.getSouth()) * (b.getEast() - b.getWest());
          if (!p.label_at) return;
          if (p.point) {
            var dot = L.circleMarker(p.label_at, {
              radius: 6, color: "#1b1f24", weight: 2, fillColor: p.fill, fillOpacity: 1,
              className: "map-point"
            }).addTo(map);
            dot.bindPopup(details(p, labels));
            dots.push(dot);
            points.push(textMarker(p.label_at, p.label, "map-label map-label-point"));
          } else {
            names.push({ size: size, marker: textMarker(p.label_at, p.label, "map-label") });
          }
        });
        names.sort(function (a, b) { return b.size - a.size; });
        var all = points.concat(names.map(function (n) { return n.marker; }));
        all.forEach(function (marker) { marker.addTo(map); });
        declutter(container, dots, all);
        map.on("zoomend moveend", function () { declutter(container, dots, all); });
        legend(container, data.legend || [], data.legend_title || labels.rate);
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
