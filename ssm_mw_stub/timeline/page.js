// The timeline page's behaviour: layout for the browser's width, zoom, pan, details, folding.
// Everything it needs is in the page (the JSON block #timeline-data); it loads nothing.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("timeline-data").textContent);
  var L = data.layout;
  var SVG_NS = document.getElementById("chart").namespaceURI;
  var svg = document.getElementById("chart");
  var plotEl = document.getElementById("plot");
  var axis = document.getElementById("axis");
  var clipRect = document.getElementById("plot-clip-rect");
  var nowLine = document.getElementById("now-line");
  var tooltip = document.getElementById("tooltip");
  var details = document.getElementById("details");
  var viewText = document.getElementById("view");
  var zoneSelect = document.getElementById("zone");
  var SECOND = 1000, MINUTE = 60 * SECOND, HOUR = 60 * MINUTE, DAY = 24 * HOUR;
  var MIN_SPAN = 10 * SECOND, MAX_SPAN = 2 * 366 * DAY;
  var STEPS = [SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
    MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR,
    3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY,
    365 * DAY];

  var lanes = Array.prototype.slice.call(svg.querySelectorAll("g.lane"));
  var rects = [];
  Array.prototype.forEach.call(svg.querySelectorAll("rect.bar"), function (rect) {
    rects[Number(rect.getAttribute("data-i"))] = rect;
    var title = rect.querySelector("title");  // the script's own tooltip replaces it
    if (title) { rect.removeChild(title); }
  });
  var folded = {};
  var state = { t0: 0, t1: 1, zone: data.zone, selected: null, width: 0 };

  // --- time in a zone ----------------------------------------------------------------
  var formatters = {};
  function partsOf(t, zone) {
    var f = formatters[zone];
    if (!f) {
      f = formatters[zone] = new Intl.DateTimeFormat("en-US", {
        timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short"
      });
    }
    var out = {};
    f.formatToParts(new Date(t)).forEach(function (p) { out[p.type] = p.value; });
    return out;
  }
  function offsetOf(t, zone) {
    var p = partsOf(t, zone);
    var wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second);
    return wall - Math.floor(t / SECOND) * SECOND;
  }
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
    "Dec"];
  function full(t, zone) {
    var p = partsOf(t, zone);
    return p.year + "-" + p.month + "-" + p.day + " " + p.hour + ":" + p.minute + ":" +
      p.second + " " + p.timeZoneName;
  }
  function tickLabel(t, step, first) {
    var p = partsOf(t, state.zone);
    var day = MONTHS[+p.month - 1] + " " + (+p.day);
    if (step >= 30 * DAY) { return MONTHS[+p.month - 1] + " " + p.year; }
    if (step >= DAY) { return day; }
    var clock = p.hour + ":" + p.minute + (step < MINUTE ? ":" + p.second : "");
    var midnight = p.hour === "00" && p.minute === "00" && p.second === "00";
    return first || midnight ? day + " " + clock : clock;
  }
  function spanText(ms) {
    var units = [[DAY, "d"], [HOUR, "h"], [MINUTE, "m"], [SECOND, "s"]];
    for (var i = 0; i < units.length; i++) {
      if (ms >= units[i][0]) {
        var n = ms / units[i][0];
        return (n >= 10 ? Math.round(n) : Math.round(n * 10) / 10) + units[i][1];
      }
    }
    return Math.round(ms) + "ms";
  }

  // --- layout --------------------------------------------------------------------------
  function el(name, attrs, text) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function layout() {
    var width = Math.max(640, plotEl.clientWidth || 1200);
    var plot = width - L.label;
    var k = plot / (state.t1 - state.t0);
    var y = 0;
    lanes.forEach(function (lane) {
      var index = Number(lane.getAttribute("data-lane"));
      var hidden = data.lanes[index].depth > 0 && folded[lane.getAttribute("data-window")];
      lane.style.display = hidden ? "none" : "";
      if (!hidden) {
        lane.setAttribute("transform", "translate(0," + y + ")");
        lane.querySelector(".lane-bg").setAttribute("width", width);
        y += L.row;
      }
    });
    var height = L.axis + y + 4;
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    clipRect.setAttribute("width", plot);
    data.bars.forEach(function (bar, i) {
      var rect = rects[i];
      if (!rect) { return; }
      var end = bar.e === null ? data.now : bar.e;
      var x0 = L.label + (bar.s - state.t0) * k;
      var x1 = Math.max(x0 + L.min, L.label + (end - state.t0) * k);
      x0 = Math.max(x0, L.label - 10);
      x1 = Math.min(x1, width + 10);
      if (x1 < x0) { x0 = -100; x1 = -100 + L.min; }
      rect.setAttribute("x", x0.toFixed(1));
      rect.setAttribute("width", Math.max(L.min, x1 - x0).toFixed(1));
    });
    var nowX = L.label + (data.now - state.t0) * k;
    nowLine.setAttribute("x1", nowX);
    nowLine.setAttribute("x2", nowX);
    nowLine.setAttribute("y2", height);
    nowLine.style.display = nowX < L.label || nowX > width ? "none" : "";
    drawAxis(width, plot, k, height);
    viewText.textContent = "showing " + full(state.t0, state.zone) + " to " +
      full(state.t1, state.zone) + " (" + spanText(state.t1 - state.t0) + ")";
    state.width = width;
  }
  function drawAxis(width, plot, k, height) {
    while (axis.firstChild) { axis.removeChild(axis.firstChild); }
    if (data.dropped !== null && data.dropped > state.t0) {
      var right = Math.min(width, L.label + (data.dropped - state.t0) * k);
      axis.appendChild(el("rect", { "class": "dropped", x: L.label, y: 0,
        width: Math.max(0, right - L.label), height: height }));
    }
    var span = state.t1 - state.t0;
    var step = STEPS[STEPS.length - 1];
    for (var i = 0; i < STEPS.length; i++) {
      if (plot / (span / STEPS[i]) >= 90) { step = STEPS[i]; break; }
    }
    var off = step >= HOUR ? offsetOf(state.t0, state.zone) : 0;
    if (step % (7 * DAY) === 0) { off -= 4 * DAY; }  // weeks start on Mondays (1970-01-05)
    var t = Math.ceil((state.t0 + off) / step) * step - off;
    var first = true;
    for (; t <= state.t1; t += step) {
      var x = L.label + (t - state.t0) * k;
      axis.appendChild(el("line", { "class": "tick", x1: x, x2: x, y1: L.axis - 8,
        y2: height }));
      axis.appendChild(el("text", { x: x + 3, y: L.axis - 12 }, tickLabel(t, step, first)));
      first = false;
    }
  }

  // --- zoom and pan --------------------------------------------------------------------
  function zoomTo(t0, t1) {
    var span = Math.min(MAX_SPAN, Math.max(MIN_SPAN, t1 - t0));
    var mid = (t0 + t1) / 2;
    state.t0 = mid - span / 2;
    state.t1 = mid + span / 2;
    layout();
  }
  function fit() {
    var first = data.start;
    data.bars.forEach(function (bar) { first = Math.min(first, bar.s); });
    var span = Math.max(data.now - first, MINUTE);
    zoomTo(first - span * 0.02, data.now + span * 0.02);
  }
  function zoomAround(anchor, factor) {
    zoomTo(anchor - (anchor - state.t0) * factor, anchor + (state.t1 - anchor) * factor);
  }
  function timeAt(clientX) {
    var box = svg.getBoundingClientRect();
    var k = (state.width - L.label) / (state.t1 - state.t0);
    return state.t0 + (clientX - box.left - L.label) / k;
  }
  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    zoomAround(timeAt(event.clientX), event.deltaY > 0 ? 1.25 : 0.8);
  }, { passive: false });
  var drag = null;
  svg.addEventListener("mousedown", function (event) {
    drag = { x: event.clientX, t0: state.t0, t1: state.t1, moved: false };
  });
  window.addEventListener("mousemove", function (event) {
    if (!drag) { return; }
    var dx = event.clientX - drag.x;
    if (Math.abs(dx) > 3) { drag.moved = true; }
    if (drag.moved) {
      var shift = dx * (drag.t1 - drag.t0) / (state.width - L.label);
      state.t0 = drag.t0 - shift;
      state.t1 = drag.t1 - shift;
      layout();
    }
  });
  window.addEventListener("mouseup", function () {
    setTimeout(function () { drag = null; }, 0);
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-zoom]"), function (button) {
    button.addEventListener("click", function () {
      var what = button.getAttribute("data-zoom");
      var mid = (state.t0 + state.t1) / 2;
      if (what === "fit") { fit(); }
      else if (what === "in") { zoomAround(mid, 0.5); }
      else if (what === "out") { zoomAround(mid, 2); }
      else { zoomTo(mid - Number(what) / 2, mid + Number(what) / 2); }
    });
  });

  // --- details -------------------------------------------------------------------------
  function barOf(target) {
    var i = target && target.getAttribute && target.getAttribute("data-i");
    return i === null || i === undefined || i === false ? null : Number(i);
  }
  function times(bar) {
    var zone = state.zone;
    var end = bar.e === null ? "now (running)" : full(bar.e, zone);
    return full(bar.s, zone) + " to " + end + " (" + bar.duration + ")";
  }
  function showTooltip(event, bar) {
    var lines = [bar.kind + " " + bar.status + ": " + bar.label, times(bar), "id " + bar.id];
    if (bar.details) { lines.push("StatusDetails: " + bar.details); }
    tooltip.textContent = lines.join("\n");
    tooltip.hidden = false;
    var x = Math.min(event.clientX + 14, window.innerWidth - tooltip.offsetWidth - 8);
    tooltip.style.left = Math.max(4, x) + "px";
    tooltip.style.top = (event.clientY + 16) + "px";
  }
  function add(dl, name, value) {
    var dt = document.createElement("dt");
    dt.textContent = name;
    var dd = document.createElement("dd");
    dd.textContent = value;
    dl.appendChild(dt);
    dl.appendChild(dd);
  }
  function readable(value) {  // JSON (an invocation's Parameters) is shown indented
    if (value.charAt(0) !== "{") { return value; }
    try { return JSON.stringify(JSON.parse(value), null, 2); } catch (e) { return value; }
  }
  function select(i) {
    if (state.selected !== null && rects[state.selected]) {
      rects[state.selected].classList.remove("selected");
    }
    state.selected = i;
    rects[i].classList.add("selected");
    var bar = data.bars[i];
    while (details.firstChild) { details.removeChild(details.firstChild); }
    var h = document.createElement("h2");
    h.textContent = bar.kind + " " + bar.label + " ";
    var badge = document.createElement("span");
    badge.className = "status st-" + bar.status;
    badge.textContent = bar.status;
    h.appendChild(badge);
    details.appendChild(h);
    var dl = document.createElement("dl");
    add(dl, "Start", full(bar.s, state.zone) + "  (" + full(bar.s, "UTC") + ")");
    add(dl, "End", bar.e === null ? "running" : full(bar.e, state.zone) + "  (" +
      full(bar.e, "UTC") + ")");
    add(dl, "Duration", bar.duration);
    add(dl, "In the window's zone", bar.start + " to " + (bar.end || "now"));
    add(dl, bar.kind === "invocation" ? "StatusDetails (handler output)" : "StatusDetails",
      bar.details === null ? "-" : bar.details);
    bar.fields.forEach(function (pair) { add(dl, pair[0], readable(pair[1])); });
    details.appendChild(dl);
  }
  svg.addEventListener("mousemove", function (event) {
    var i = barOf(event.target);
    if (i === null) { tooltip.hidden = true; return; }
    showTooltip(event, data.bars[i]);
  });
  svg.addEventListener("mouseleave", function () { tooltip.hidden = true; });
  svg.addEventListener("click", function (event) {
    if (drag && drag.moved) { return; }
    var i = barOf(event.target);
    if (i !== null) { select(i); return; }
    var label = event.target.closest && event.target.closest(".lane-window .lane-label");
    if (label) {
      var w = label.parentNode.getAttribute("data-window");
      folded[w] = !folded[w];
      label.lastChild.textContent = (folded[w] ? "\u25b8" : "\u25be") +
        label.lastChild.textContent.slice(1);
      layout();
    }
  });
  svg.addEventListener("dblclick", function (event) {
    var i = barOf(event.target);
    if (i === null) { return; }
    var bar = data.bars[i];
    var end = bar.e === null ? data.now : bar.e;
    var pad = Math.max((end - bar.s) * 0.15, 30 * SECOND);
    zoomTo(bar.s - pad, end + pad);
  });

  // --- start ---------------------------------------------------------------------------
  data.zones.forEach(function (zone) {
    var option = document.createElement("option");
    option.value = option.textContent = zone;
    if (zone === state.zone) { option.selected = true; }
    zoneSelect.appendChild(option);
  });
  zoneSelect.addEventListener("change", function () {
    state.zone = zoneSelect.value;
    layout();
    if (state.selected !== null) { select(state.selected); }
  });
  if (data.lanes.length > 80) {  // many rows: start with the windows folded
    lanes.forEach(function (lane) { folded[lane.getAttribute("data-window")] = true; });
    Array.prototype.forEach.call(svg.querySelectorAll(".lane-window .lane-label"),
      function (label) {
        label.lastChild.textContent = "\u25b8" + label.lastChild.textContent.slice(1);
      });
  }
  window.addEventListener("resize", layout);
  fit();
  document.body.setAttribute("data-ready", "true");
}());
