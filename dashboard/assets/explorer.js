/* The explorer's clientside callbacks (dashboard/pages/explorer.py), run in the browser:
   tab: switches the Chart / Table / Sources tabs at once and keeps the chosen tab in the
        stored view (and so in the address);
   address: writes the stored view into the address bar (history.replaceState, no reload),
        so the address is always a permalink, and keeps the language switch on this view;
   png: downloads the chart as drawn (title, unit, period and source are part of the figure).
   And the keyboard of the tabs (below). */
(function () {
  "use strict";
  var TABS = ["chart", "table", "sources"];

  function query(stored) {
    var q = new URLSearchParams();
    Object.keys(stored.query || {}).forEach(function (k) { q.set(k, stored.query[k]); });
    if (stored.tab && stored.tab !== "chart") { q.set("tab", stored.tab); } else { q.delete("tab"); }
    return q;
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {explorer: {
    tab: function (c1, c2, c3, stored) {
      var trig = (window.dash_clientside.callback_context.triggered || [])[0];
      var tab = stored && stored.tab || "chart";
      if (trig && trig.prop_id) { tab = trig.prop_id.split(".")[0].replace("explorer-tab-", ""); }
      TABS.forEach(function (name) {
        var b = document.getElementById("explorer-tab-" + name);
        var p = document.getElementById("explorer-panel-" + name);
        if (b) { b.setAttribute("aria-selected", name === tab ? "true" : "false"); b.tabIndex = name === tab ? 0 : -1; }
        if (p) { p.hidden = name !== tab; }
      });
      if (tab === "chart") { window.dispatchEvent(new Event("resize")); }
      var out = Object.assign({}, stored || {}); out.tab = tab;
      out.query = Object.assign({}, out.query || {});
      if (tab === "chart") { delete out.query.tab; } else { out.query.tab = tab; }
      return out;
    },

    address: function (stored) {
      if (!stored || !stored.query) { return window.dash_clientside.no_update; }
      var q = query(stored);
      var url = window.location.pathname + "?" + q.toString().replace(/%2C/g, ",");
      if (url !== window.location.pathname + window.location.search) {
        window.history.replaceState(window.history.state, "", url);
      }
      var link = document.getElementById("explorer-permalink");
      if (link) {  /* keep the site's public address the server wrote; change only the view */
        link.value = (link.value.split("/explorer?")[0] || window.location.origin) + url;
      }
      var sw = document.querySelector("#react-entry-point a.lang-switch");
      if (sw) {
        var other = new URLSearchParams(q); other.set("lang", sw.getAttribute("data-lang"));
        sw.setAttribute("href", window.location.pathname + "?" + other.toString().replace(/%2C/g, ","));
      }
      return window.dash_clientside.no_update;
    },

    png: function (n) {
      if (!n) { return window.dash_clientside.no_update; }
      var gd = document.querySelector("#explorer-graph .js-plotly-plot");
      var b = document.getElementById("explorer-png");
      if (gd && window.Plotly) {
        window.Plotly.downloadImage(gd, {format: "png", width: 1000, height: 600, scale: 2,
                                         filename: b ? b.getAttribute("data-filename") : "chart"});
      }
      return window.dash_clientside.no_update;
    }
  }});

  /* The tabs as WAI-ARIA's tabs pattern: one tab stop for the list; the arrow keys (mirrored
     in right-to-left pages), Home and End move to a tab and show its panel. */
  document.addEventListener("keydown", function (e) {
    var tab = e.target && e.target.closest && e.target.closest('[role="tab"]');
    var list = tab && tab.closest('[role="tablist"]');
    if (!list) { return; }
    var tabs = Array.prototype.slice.call(list.querySelectorAll('[role="tab"]'));
    var i = tabs.indexOf(tab);
    var rtl = getComputedStyle(list).direction === "rtl";
    var next = {ArrowRight: rtl ? i - 1 : i + 1, ArrowLeft: rtl ? i + 1 : i - 1, Home: 0, End: tabs.length - 1}[e.key];
    if (next === undefined) { return; }
    e.preventDefault();
    var to = tabs[(next + tabs.length) % tabs.length];
    to.focus();
    to.click();
  });
})();
