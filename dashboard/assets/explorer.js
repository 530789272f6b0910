/* The explorer's clientside callbacks (dashboard/pages/explorer.py), run in the browser:
   tab: switches the Chart / Table / Sources tabs at once and keeps the chosen tab in the
        stored view (and so in the address);
   address: writes the stored view into the address bar (history.replaceState, no reload),
        so the address is always a permalink, and keeps the language switch on this view;
   And, below, the period selects, the Download & share panel's image buttons and the keyboard
   of the tabs. */
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
    }
  }});

  /* The period selects (dashboard/controls.py period_picks): on the live page a choice goes
     to the view's callback through the explorer-picked store (a native select has no Dash
     property to listen to); on the server's copy, before the live page, the view's address
     with the choice is opened, which is the same view. */
  var picks = 0;
  document.addEventListener("change", function (e) {
    var select = e.target;
    if (!select.classList || !select.classList.contains("pick-select")) { return; }
    var group = select.getAttribute("data-group");
    var live = select.closest("#react-entry-point");
    if (live && window.dash_clientside && window.dash_clientside.set_props) {
      picks += 1;   /* a new object each time: the same period chosen again is a new choice */
      window.dash_clientside.set_props("explorer-picked", {data: {group: group, value: select.value, n: picks}});
      return;
    }
    var q = new URLSearchParams(window.location.search);
    if (select.value) { q.set(group, select.value); } else { q.delete(group); }
    window.location.assign(window.location.pathname + "?" + q.toString().replace(/%2C/g, ","));
  });

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

  /* A control the view's callback redraws keeps the keyboard's place: when the focused
     control is replaced, the focus goes to the new control with the same id (not to <body>,
     which would send a keyboard user back to the top of the page). */
  var focused = null;
  document.addEventListener("focusin", function (e) {
    focused = e.target.closest && e.target.closest("#explorer-controls [id]");
  });
  new MutationObserver(function () {
    if (!focused || document.contains(focused)) { return; }
    var active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) { focused = null; return; }
    var again = document.getElementById(focused.id);
    focused = null;
    if (again) { again.focus({preventScroll: true}); }
  }).observe(document.documentElement, {childList: true, subtree: true});

  /* The panel's PNG and SVG: the chart as an image carries it (dashboard/figures.py
     for_export): the wide texts, and under the source the credit (site, address, licence,
     in lines that fit the image, dashboard/credit.py) that the button holds, with the room
     its lines take at the foot (data-credit-room, px: credit.py with_room); the same for
     every screen width. */
  function forExport(gd, button) {
    var layout = JSON.parse(JSON.stringify(gd.layout)), meta = layout.meta, tx = meta.texts["export"];
    var rtl = meta.lang === "ar", room = Number(button.getAttribute("data-credit-room")) || 0;
    meta.exported = true;   /* spi.js fits the charts it finds to their width: not this one */
    layout.title.text = tx.title;
    layout.title.subtitle.text = tx.subtitle;
    layout.annotations[0].text = [tx.foot, button.getAttribute("data-credit")].filter(Boolean).join("<br>");
    layout.margin.t = tx.top;
    layout.margin.b = tx.bottom + room;
    layout.height = tx.height + room;
    layout.legend.orientation = tx.legend;
    layout.legend.y = 1 - (1 - tx.legend_y) * tx.height / layout.height;   /* where it was, from the top */
    layout.legend.traceorder = tx.legend === "h" && rtl ? "reversed+grouped" : "grouped";
    if (tx.nticks !== undefined) layout.xaxis.nticks = tx.nticks;   /* a phone's fewer time labels: the image is wide */
    return {data: gd.data, layout: layout};
  }
  function drawn(then, tries) {   /* the interactive chart, once plotly.js has drawn it */
    var gd = document.querySelector("#explorer-graph .js-plotly-plot");
    if (gd && gd.layout && gd.layout.meta) { then(gd); } else if (tries > 0) {
      setTimeout(function () { drawn(then, tries - 1); }, 50);
    }
  }
  document.addEventListener("click", function (e) {
    var b = e.target && e.target.closest && e.target.closest("[data-image-format]");
    if (!b || !window.spiPlotly) { return; }
    window.spiPlotly().then(function (P) {
      drawn(function (gd) {
        var fig = forExport(gd, b);
        var format = b.getAttribute("data-image-format");
        P.downloadImage(fig, {format: format, width: 1000, height: fig.layout.height,
                              scale: format === "png" ? 2 : 1, filename: b.getAttribute("data-filename")});
      }, 200);
    });
  });
})();
