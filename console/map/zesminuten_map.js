// Zesminuten map API: the page is rendered once; Python sends batched deltas to
// window.api.apply(ops) and hears clicks through the QWebChannel object "bridge".
(function () {
  "use strict";

  var KINDS = ["victim", "ring", "responder", "aed", "route", "motorway_hit", "uncertainty"];

  // Later states sit on top: a dispatcher looks for who is coming, not who said no.
  var RESPONDER_Z = {
    declined: 0, timed_out: 0, cancelled: 100, oversupply: 100,
    alerted: 200, accepted: 400, arrived: 500
  };
  var ROUTE_STYLE = {
    planned: { color: "#4f77a8", weight: 2, opacity: 0.55, dashArray: "4 6" },
    alerted: { color: "#4f77a8", weight: 2, opacity: 0.55, dashArray: "4 6" },
    accepted: { color: "#1a9e3a", weight: 4, opacity: 0.9, dashArray: null },
    arrived: { color: "#0b5a1d", weight: 3, opacity: 0.6, dashArray: null },
    declined: { color: "#b0b0b0", weight: 1.5, opacity: 0.35, dashArray: "2 6" },
    timed_out: { color: "#b0b0b0", weight: 1.5, opacity: 0.35, dashArray: "2 6" },
    cancelled: { color: "#8e44ad", weight: 1.5, opacity: 0.45, dashArray: "2 6" },
    oversupply: { color: "#8e44ad", weight: 1.5, opacity: 0.45, dashArray: "2 6" }
  };

  var AED_SVG =
    '<svg viewBox="0 0 24 24" width="100%" height="100%" aria-hidden="true">' +
    '<rect x="1.5" y="1.5" width="21" height="21" rx="4.5" class="zm-aed-bg"/>' +
    '<path d="M12 20.2s-7.4-4.5-7.4-9.9A4 4 0 0 1 12 8.1a4 4 0 0 1 7.4 2.2' +
    'c0 5.4-7.4 9.9-7.4 9.9z" fill="#fff"/>' +
    '<path d="M13.1 9.2 9.6 14h2.5l-1 3.8 3.6-5h-2.5z" class="zm-aed-bolt"/></svg>';
  var VICTIM_SVG =
    '<svg viewBox="0 0 32 32" width="100%" height="100%" aria-hidden="true">' +
    '<circle cx="16" cy="16" r="14" fill="#d0021b" stroke="#fff" stroke-width="2.5"/>' +
    '<path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#fff"/></svg>';
  var MOTORWAY_SVG =
    '<svg viewBox="0 0 28 26" width="100%" height="100%" aria-hidden="true">' +
    '<path d="M14 1.5 27 24.5H1z" fill="#ff6d00" stroke="#fff" stroke-width="2"' +
    ' stroke-linejoin="round"/>' +
    '<path d="M12.6 8.5h2.8l-.4 8.5h-2z M12.5 19h3v3h-3z" fill="#fff"/></svg>';

  function escapeHtml(text) {
    return String(text === undefined || text === null ? "" : text)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }

  window.zmInstall = function (map, options) {
    var texts = options.texts;
    var tiled = Boolean(options.tiled);
    var layers = {};
    KINDS.forEach(function (kind) { layers[kind] = new Map(); });
    var selected = null;
    var bridge = null;
    var stats = { apply_calls: 0, ops_applied: 0, errors: 0 };

    // Panes: basemap on canvas under everything, then ring/routes (SVG), then markers.
    map.createPane("zmBasemap").style.zIndex = 250;
    map.createPane("zmVectors").style.zIndex = 420;
    map.createPane("zmLabels").style.zIndex = 430;
    map.getPane("zmLabels").style.pointerEvents = "none";
    var basemapRenderer = L.canvas({ pane: "zmBasemap", padding: 0.3 });

    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(escapeHtml(texts.attribution));

    // ---------------------------------------------------------------- basemap
    var data = window.ZM_BASEMAP || {};
    var basemap = { municipalities: 0, roads: 0, motorways: 0 };
    var municipalityNames = null;

    // Shapes drawn, not features: the page builder merges a road class's lines into one
    // MultiLineString feature (far fewer Leaflet layers), so count its lines.
    function featureCount(collection) {
      if (!collection || !collection.features) return 0;
      return collection.features.reduce(function (n, f) {
        var g = f.geometry;
        return n + (g && g.type === "MultiLineString" ? g.coordinates.length : 1);
      }, 0);
    }

    if (data.municipalities) {
      basemap.municipalities = featureCount(data.municipalities);
      L.geoJSON(data.municipalities, {
        renderer: basemapRenderer,
        pane: "zmBasemap",
        style: {
          color: "#8a8a8a", weight: 1.2, opacity: 0.9, dashArray: "6 4",
          fillColor: "#f5f3ee", fillOpacity: tiled ? 0 : 1
        },
        onEachFeature: function (feature, layer) {
          layer.bindTooltip(escapeHtml(feature.properties.name), { sticky: true });
        }
      }).addTo(map);
      // Names as quiet text at a point inside each municipality, for orientation.
      municipalityNames = L.layerGroup(data.municipalities.features
        .filter(function (f) { return f.properties.label; })
        .map(function (f) {
          return L.marker(f.properties.label, {
            interactive: false, keyboard: false, pane: "zmLabels",
            icon: L.divIcon({
              className: "zm-place", html: escapeHtml(f.properties.name),
              iconSize: [160, 16], iconAnchor: [80, 8]
            })
          });
        }));
    }

    var secondaryRoads = null;
    if (data.roads) {
      basemap.roads = featureCount(data.roads);
      var isSecondary = function (f) { return /^secondary/.test(f.properties.highway); };
      var roadStyle = function (f) {
        var h = f.properties.highway;
        if (h === "primary") return { color: "#a3a3a3", weight: 2, opacity: 0.95 };
        if (h === "primary_link") return { color: "#a3a3a3", weight: 1.2, opacity: 0.9 };
        return { color: "#c2c2c2", weight: 1.1, opacity: 0.9 };
      };
      var primaryRoads = L.geoJSON(data.roads, {
        renderer: basemapRenderer, pane: "zmBasemap", interactive: false,
        filter: function (f) { return !isSecondary(f); }, style: roadStyle
      });
      secondaryRoads = L.geoJSON(data.roads, {
        renderer: basemapRenderer, pane: "zmBasemap", interactive: false,
        filter: isSecondary, style: roadStyle
      });
      if (!tiled) primaryRoads.addTo(map);
      if (tiled) secondaryRoads = null;
    }

    if (data.motorways) {
      basemap.motorways = featureCount(data.motorways);
      L.geoJSON(data.motorways, {
        renderer: basemapRenderer, pane: "zmBasemap",
        style: function (f) {
          var h = f.properties.highway;
          if (h === "motorway") return { color: "#e8590c", weight: 3.5, opacity: 0.9 };
          if (h === "trunk") return { color: "#f08c00", weight: 3, opacity: 0.9 };
          return { color: "#f08c00", weight: 1.5, opacity: 0.9 };
        },
        onEachFeature: function (feature, layer) {
          var p = feature.properties;
          var name = [p.ref, p.name].filter(Boolean).join(" ");
          if (name) layer.bindTooltip(escapeHtml(name), { sticky: true });
        }
      }).addTo(map);
    }

    // Secondary roads and place names only where they help, not at country scale.
    function showByZoom(layer, minZoom) {
      if (!layer) return;
      var want = map.getZoom() >= minZoom;
      if (want && !map.hasLayer(layer)) layer.addTo(map);
      if (!want && map.hasLayer(layer)) map.removeLayer(layer);
    }
    function zoomDependent() {
      showByZoom(secondaryRoads, 12);
      showByZoom(municipalityNames, 10);
      // Zoomed out, 100 full-size discs merge into one blob: shrink responders instead.
      var container = map.getContainer();
      L.DomUtil[map.getZoom() <= 12 ? "addClass" : "removeClass"](container, "zm-far");
      L.DomUtil[map.getZoom() <= 10 ? "addClass" : "removeClass"](container, "zm-very-far");
    }
    map.on("zoomend", zoomDependent);
    zoomDependent();
    // Top right: the legend and the attribution share the bottom and would cover it.
    L.control.scale({ imperial: false, position: "topright", maxWidth: 160 }).addTo(map);

    // ------------------------------------------------------------------ legend
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () {
      var div = L.DomUtil.create("div", "zm-legend");
      var s = texts.responder_states;
      var dot = function (state, letter) {
        return '<span class="zm-r zm-s-' + state + ' zm-legend-dot">' + letter + "</span>";
      };
      div.innerHTML =
        "<b>" + escapeHtml(texts.legend) + "</b>" +
        '<div><span class="zm-legend-icon zm-victim">' + VICTIM_SVG + "</span>" +
        escapeHtml(texts.victim) + "</div>" +
        "<div>" + dot("alerted", escapeHtml(texts.role_letters.cpr)) +
        escapeHtml(texts.roles.cpr) + "</div>" +
        "<div>" + dot("alerted", escapeHtml(texts.role_letters.aed)) +
        escapeHtml(texts.roles.aed) + "</div>" +
        "<div>" + dot("alerted", "") + escapeHtml(s.alerted) + "</div>" +
        "<div>" + dot("accepted", "") + escapeHtml(s.accepted) + "</div>" +
        "<div>" + dot("arrived", "") + escapeHtml(s.arrived) + "</div>" +
        "<div>" + dot("declined", "") + escapeHtml(s.declined + " / " + s.timed_out) + "</div>" +
        "<div>" + dot("cancelled", "") + escapeHtml(s.cancelled + " / " + s.oversupply) +
        "</div>" +
        '<div><span class="zm-legend-icon zm-aed zm-a-available">' + AED_SVG + "</span>" +
        escapeHtml(texts.aed) + "</div>";
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    legend.addTo(map);

    // A language switch at run time: the same page, new words (no reload, nothing redrawn).
    function setTexts(next) {
      map.attributionControl.removeAttribution(escapeHtml(texts.attribution));
      Object.keys(next).forEach(function (key) { texts[key] = next[key]; });
      map.attributionControl.addAttribution(escapeHtml(texts.attribution));
      legend.remove();
      legend.addTo(map);
      KINDS.forEach(function (kind) {
        layers[kind].forEach(function (_layer, id) { refreshMarker(kind, id); });
      });
    }

    // ------------------------------------------------------------ incident layers
    function report(kind, id) {
      return function () {
        if (bridge) bridge.notifyMarkerClicked(kind, String(id));
      };
    }

    function isSelected(kind, id) {
      return selected !== null && selected.kind === kind && selected.id === id;
    }

    function responderIcon(p, sel) {
      var faded = p.state === "declined" || p.state === "timed_out";
      var size = faded ? 14 : 22;
      var letter = faded ? "" : escapeHtml(texts.role_letters[p.role] || "");
      return L.divIcon({
        className: "zm-icon",
        html: '<div class="zm-r zm-s-' + p.state + " zm-role-" + p.role +
          (sel ? " zm-sel" : "") + '">' + letter + "</div>",
        iconSize: [size, size],
        iconAnchor: [size / 2, size / 2],
        tooltipAnchor: [0, -size / 2]
      });
    }

    function aedIcon(p, sel) {
      return L.divIcon({
        className: "zm-icon",
        html: '<div class="zm-aed zm-a-' + p.state + (sel ? " zm-sel" : "") + '">' +
          AED_SVG + "</div>",
        iconSize: [24, 24], iconAnchor: [12, 12], tooltipAnchor: [0, -12]
      });
    }

    function victimIcon(p, sel) {
      return L.divIcon({
        className: "zm-icon",
        html: '<div class="zm-victim' + (sel ? " zm-sel" : "") + '">' + VICTIM_SVG + "</div>",
        iconSize: [34, 34], iconAnchor: [17, 17], tooltipAnchor: [0, -17]
      });
    }

    function motorwayIcon(p, sel) {
      return L.divIcon({
        className: "zm-icon",
        html: '<div class="zm-mw' + (sel ? " zm-sel" : "") + '">' + MOTORWAY_SVG + "</div>",
        iconSize: [28, 26], iconAnchor: [14, 24], tooltipAnchor: [12, -12]
      });
    }

    function tooltipText(kind, p) {
      if (kind === "responder") {
        return [p.label || p.id, texts.roles[p.role], texts.responder_states[p.state]]
          .filter(Boolean).join(" · ");
      }
      if (kind === "aed") {
        return [p.label || p.id, texts.aed_states[p.state]].filter(Boolean).join(" · ");
      }
      if (kind === "victim") return p.label || texts.victim;
      if (kind === "motorway_hit") return p.text || texts.motorway;
      return "";
    }

    var MARKERS = {
      responder: { icon: responderIcon, z: function (p) { return RESPONDER_Z[p.state] || 0; } },
      aed: { icon: aedIcon, z: function () { return 700; } },
      victim: { icon: victimIcon, z: function () { return 1000; } },
      motorway_hit: { icon: motorwayIcon, z: function () { return 900; } }
    };

    // One marker kind: create once, afterwards update position, icon and tooltip in place.
    function upsertMarker(kind, op) {
      var spec = MARKERS[kind];
      var id = String(op.id);
      var layer = layers[kind].get(id);
      var props = Object.assign({}, layer ? layer.zm : {}, op, { id: id });
      var sel = isSelected(kind, id);
      var iconKey = [props.state, props.role, props.label, sel].join("|");
      var latlng = [op.lat, op.lon];
      if (!layer) {
        layer = L.marker(latlng, {
          icon: spec.icon(props, sel),
          zIndexOffset: spec.z(props) + (sel ? 5000 : 0),
          keyboard: false,
          riseOnHover: true
        });
        var permanent = kind === "motorway_hit";
        layer.bindTooltip(escapeHtml(tooltipText(kind, props)), {
          direction: permanent ? "right" : "top",
          permanent: permanent,
          className: permanent ? "zm-mw-tip" : "zm-tip"
        });
        layer.on("click", report(kind, id));
        layer.zm = props;
        layer.zmIconKey = iconKey;
        layers[kind].set(id, layer);
        layer.addTo(map);
        return;
      }
      layer.setLatLng(latlng);
      if (layer.zmIconKey !== iconKey) {
        layer.setIcon(spec.icon(props, sel));
        layer.setZIndexOffset(spec.z(props) + (sel ? 5000 : 0));
        layer.zmIconKey = iconKey;
      }
      var tip = escapeHtml(tooltipText(kind, props));
      if (layer.getTooltip().getContent() !== tip) layer.setTooltipContent(tip);
      layer.zm = props;
    }

    function upsertRing(op) {
      var id = String(op.id);
      var layer = layers.ring.get(id);
      if (!layer) {
        layer = L.circle([op.lat, op.lon], {
          radius: op.radius_m, pane: "zmVectors", interactive: false,
          color: "#d0021b", weight: 2, opacity: 0.8, dashArray: "8 6",
          fillColor: "#d0021b", fillOpacity: 0.04
        }).addTo(map);
        layers.ring.set(id, layer);
      } else {
        layer.setLatLng([op.lat, op.lon]);
        layer.setRadius(op.radius_m);
      }
      layer.zm = Object.assign({}, op, { id: id });
    }

    // An approximate location: the victim is somewhere in this circle, not at its pin.
    function upsertUncertainty(op) {
      var id = String(op.id);
      var layer = layers.uncertainty.get(id);
      if (!layer) {
        layer = L.circle([op.lat, op.lon], {
          radius: op.radius_m, pane: "zmVectors", interactive: false,
          color: "#e65100", weight: 2, opacity: 0.9, dashArray: "3 6",
          fillColor: "#ff9800", fillOpacity: 0.12
        }).addTo(map);
        layers.uncertainty.set(id, layer);
      } else {
        layer.setLatLng([op.lat, op.lon]);
        layer.setRadius(op.radius_m);
      }
      layer.zm = Object.assign({}, op, { id: id });
    }

    function upsertRoute(op) {
      var id = String(op.id);
      var state = op.state || "planned";
      var style = ROUTE_STYLE[state] || ROUTE_STYLE.planned;
      var layer = layers.route.get(id);
      if (!layer) {
        layer = L.polyline(op.points, Object.assign({
          pane: "zmVectors", interactive: false, lineCap: "round", lineJoin: "round"
        }, style)).addTo(map);
        layers.route.set(id, layer);
      } else {
        layer.setLatLngs(op.points);
        layer.setStyle(style);
      }
      // Routes of people still coming are drawn over the faded ones.
      if (state === "accepted" || state === "arrived") layer.bringToFront();
      layer.zm = Object.assign({}, op, { id: id, state: state });
    }

    function removeLayer(kind, id) {
      var layer = layers[kind] && layers[kind].get(String(id));
      if (!layer) return;
      map.removeLayer(layer);
      layers[kind].delete(String(id));
      if (isSelected(kind, String(id))) selected = null;
    }

    function refreshMarker(kind, id) {
      var layer = layers[kind] && layers[kind].get(id);
      if (layer && MARKERS[kind]) upsertMarker(kind, layer.zm);
    }

    function select(kind, id) {
      var previous = selected;
      selected = id === null || id === undefined ? null : { kind: kind, id: String(id) };
      if (previous) refreshMarker(previous.kind, previous.id);
      if (selected) refreshMarker(selected.kind, selected.id);
    }

    // Leaflet ignores a new view while a zoom animation runs (e.g. the user's scroll
    // wheel), so a view op waits for it to end instead of being lost.
    function whenSettled(fn) {
      if (map._animatingZoom) map.once("zoomend", fn);
      else fn();
    }

    var HANDLERS = {
      victim: function (op) { upsertMarker("victim", op); },
      responder: function (op) { upsertMarker("responder", op); },
      aed: function (op) { upsertMarker("aed", op); },
      motorway_hit: function (op) { upsertMarker("motorway_hit", op); },
      ring: upsertRing,
      uncertainty: upsertUncertainty,
      route: upsertRoute,
      remove: function (op) { removeLayer(op.kind, op.id); },
      clear_incident: function () {
        KINDS.forEach(function (kind) {
          layers[kind].forEach(function (layer) { map.removeLayer(layer); });
          layers[kind].clear();
        });
        selected = null;
      },
      fit: function (op) {
        whenSettled(function () {
          map.fitBounds(op.bounds, {
            padding: [40, 40], maxZoom: op.max_zoom || 16, animate: false
          });
        });
      },
      center: function (op) {
        whenSettled(function () {
          var zoom = op.zoom === undefined || op.zoom === null ? map.getZoom() : op.zoom;
          map.setView([op.lat, op.lon], zoom, { animate: false });
        });
      },
      select: function (op) { select(op.kind, op.id); }
    };

    function apply(ops) {
      if (!Array.isArray(ops)) ops = [ops];
      stats.apply_calls += 1;
      var applied = 0;
      ops.forEach(function (op) {
        var handler = HANDLERS[op && op.op];
        try {
          if (!handler) throw new Error("unknown op " + JSON.stringify(op && op.op));
          handler(op);
          applied += 1;
        } catch (err) {
          stats.errors += 1;
          console.error("zesminuten map: " + err + " in " + JSON.stringify(op));
        }
      });
      stats.ops_applied += applied;
      return applied;
    }

    function counts() {
      var out = {};
      KINDS.forEach(function (kind) { out[kind] = layers[kind].size; });
      out.basemap_features = basemap.municipalities + basemap.roads + basemap.motorways;
      out.address_points = addressCount;
      out.municipalities = basemap.municipalities;
      out.roads = basemap.roads;
      out.motorways = basemap.motorways;
      return JSON.stringify(out);
    }

    function info(kind, id) {
      var layer = layers[kind] && layers[kind].get(String(id));
      if (!layer) return JSON.stringify(null);
      var out = Object.assign({}, layer.zm, { leaflet_id: L.stamp(layer) });
      if (layer.getLatLng) {
        out.lat = layer.getLatLng().lat;
        out.lon = layer.getLatLng().lng;
      }
      var el = layer.getElement && layer.getElement();
      if (el && el.firstChild) out.class_name = el.firstChild.className;
      if (layer.options && layer.options.color) {
        out.style = {
          color: layer.options.color, weight: layer.options.weight,
          opacity: layer.options.opacity, dashArray: layer.options.dashArray
        };
      }
      return JSON.stringify(out);
    }

    map.on("click", function (e) {
      if (bridge) bridge.notifyMapClicked(e.latlng.lat, e.latlng.lng);
    });

    // ------------------------------------------------------------------ address points
    // Street level: where BAG address points are loaded, Python sends those in view
    // (house numbers and street names), so a dispatcher can check a location and click
    // the right building. Asked for on every settled view at zoom >= ADDRESS_ZOOM.
    var ADDRESS_ZOOM = 16;
    var addressLayer = L.layerGroup();
    var addressCount = 0;
    function reportView() {
      if (map.getZoom() < ADDRESS_ZOOM) {
        if (map.hasLayer(addressLayer)) map.removeLayer(addressLayer);
        return;
      }
      var b = map.getBounds();
      if (bridge && bridge.notifyViewChanged) {
        bridge.notifyViewChanged(b.getSouth(), b.getWest(), b.getNorth(), b.getEast(), map.getZoom());
      }
    }
    map.on("moveend", reportView);
    HANDLERS.addresses = function (op) {
      addressLayer.clearLayers();
      addressCount = 0;
      var houses = map.getZoom() >= ADDRESS_ZOOM + 1;
      (op.points || []).forEach(function (p) {
        L.circleMarker([p[0], p[1]], {
          radius: 2, pane: "zmBasemap", interactive: false, color: "#616161", weight: 1, fillOpacity: 0.6
        }).addTo(addressLayer);
        if (houses) {
          L.marker([p[0], p[1]], {
            pane: "zmLabels", interactive: false, keyboard: false,
            icon: L.divIcon({ className: "zm-house", html: escapeHtml(p[2]), iconSize: null })
          }).addTo(addressLayer);
        }
        addressCount += 1;
      });
      (op.streets || []).forEach(function (st) {
        L.marker([st[0], st[1]], {
          pane: "zmLabels", interactive: false, keyboard: false,
          icon: L.divIcon({ className: "zm-street", html: escapeHtml(st[2]), iconSize: null })
        }).addTo(addressLayer);
      });
      if (map.getZoom() >= ADDRESS_ZOOM && !map.hasLayer(addressLayer)) addressLayer.addTo(map);
    };

    // ------------------------------------------------------------------ white spots
    // Coverage layer (toggle): inhabited cells without a 24/7 AED within 500 m
    // (docs/coverage.md). One layer; a new op replaces it, geojson null removes it.
    var whiteSpots = null;
    HANDLERS.white_spots = function (op) {
      if (whiteSpots) { map.removeLayer(whiteSpots); whiteSpots = null; }
      if (!op.geojson) return;
      whiteSpots = L.geoJSON(op.geojson, {
        pane: "zmVectors", interactive: false,
        filter: function (f) { return f.properties && f.properties.kind === "white_spot"; },
        style: function () {
          return { color: "#c0392b", weight: 0.5, fillColor: "#e74c3c", fillOpacity: 0.3 };
        }
      }).addTo(map);
    };

    window.api = {
      setTexts: setTexts,
      whiteSpotCount: function () { return whiteSpots ? whiteSpots.getLayers().length : 0; },
      apply: apply,
      counts: counts,
      selected: function () { return JSON.stringify(selected); },
      info: info,
      layer: function (kind, id) { return layers[kind] ? layers[kind].get(String(id)) : undefined; },
      stats: function () { return JSON.stringify(stats); },
      map: map
    };

    if (typeof QWebChannel === "function" && typeof qt === "object" && qt.webChannelTransport) {
      new QWebChannel(qt.webChannelTransport, function (channel) {
        bridge = channel.objects.bridge;
        if (bridge) bridge.notifyReady();
      });
    }
  };
})();
