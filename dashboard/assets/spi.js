/* Social protection statistics: the little JavaScript the dashboard needs.
   1. RawHtml: shows server-generated markup (SVG sparklines, the map) inside React.
   2. Dash starts at the reader's first move; until then the page is the server's copy.
      plotly.js: dcc.Graph loads window._dashPlotlyJSURL when it first draws; we point it at
      the plotly.js *basic* bundle (scatter, bar, pie: 1.2 MB instead of 4.8 MB), and only
      pages with a chart ever fetch it.
   3. Links inside RawHtml markup (map, cards) navigate inside the app without a reload.
   4. The language switch keeps the current view (it reads the address at click time). */
(function () {
  "use strict";
  window.spi_components = {
    RawHtml: function (props) {
      return window.React.createElement(props.inline ? "span" : "div", Object.assign(
        {id: props.id, className: props.className, dangerouslySetInnerHTML: {__html: props.html || ""}},
        Object.keys(props).filter(function (k) { return k.indexOf("data-") === 0 || k.indexOf("aria-") === 0; })
          .reduce(function (acc, k) { acc[k] = props[k]; return acc; }, {})));
    }
  };

  var base = document.currentScript ? document.currentScript.src.replace(/assets\/spi\.js.*$/, "") : "/";
  var plotlyUrl = base + "assets/vendor/plotly-basic-4.1.1.min.js";
  try {
    Object.defineProperty(window, "_dashPlotlyJSURL", {
      configurable: true, get: function () { return plotlyUrl; }, set: function () { /* keep ours */ }
    });
  } catch (e) { window._dashPlotlyJSURL = plotlyUrl; }

  /* Dash (React, its renderer, the component bundles, whose tags dashboard/app.py
     split_scripts leaves inert) runs at the reader's first interaction with the page
     (pointer, touch, key, wheel, scroll, focus), not before: until then the page is the
     server-rendered copy (#ssr), whose links, downloads, copy boxes and tables work without
     it, so a phone that only shows the page never spends a second of script on it. Once
     React has drawn the page, the copy goes (see dropCopy). plotly.js is loaded at that first
     interaction too, on a page with a chart: until then the chart's server-drawn twin is on
     screen (dashboard/chart_svg.py). dcc.Graph waits for window.Plotly: until plotly.js is
     here it is a promise (which Promise.resolve adopts), then plotly.js itself, which sets it
     when it loads. */
  var LATER = 'script[type="text/x-dash-later"][src]', dashStarted = false;
  function startDash() {
    var waiting = document.querySelectorAll(LATER);
    if (dashStarted || !waiting.length) return;
    dashStarted = true;
    var last = null;
    Array.prototype.forEach.call(waiting, function (tag) {
      var s = document.createElement("script");
      s.src = tag.getAttribute("src");
      s.async = false;   /* run in the page's order, as deferred scripts would */
      document.body.appendChild(s);
      last = s;
    });
    /* what Dash's own #_dash-renderer tag says, once its scripts have run */
    last.addEventListener("load", function () { window.renderer = new window.DashRenderer(); });
  }
  /* fetched, not run, once the page has loaded (not before: they would take a slow line from
     the page's own parts), so that the first move finds them here */
  window.addEventListener("load", function () {
    var idle = window.requestIdleCallback || function (f) { setTimeout(f, 1); };
    idle(function () {
      if (dashStarted) return;
      document.querySelectorAll(LATER).forEach(function (tag) {
        var link = document.createElement("link");
        link.rel = "prefetch";
        link.as = "script";
        link.href = tag.getAttribute("src");
        document.head.appendChild(link);
      });
    });
  });
  /* The server's copy, once React has drawn the page: what the reader did in it is carried
     to the same elements of the live page (the fields filled or chosen, in page order, with
     their input and change events; the sections opened; the focus; a button pressed, whose
     callback could not run before), then the copy goes. The same element: a link with the same
     address and words, else the one at the same place under the nearest element with an id
     (the copy is drawn from the same components, with the same ids). */
  var lastFocus = null, pressed = null, edited = [];
  document.addEventListener("focusin", function (ev) { lastFocus = ev.target; }, true);
  function noteEdit(ev) {
    var el = ev.target;
    if (el.closest && el.closest("#ssr") && edited.indexOf(el) < 0) edited.push(el);
  }
  document.addEventListener("input", noteEdit, true);
  document.addEventListener("change", noteEdit, true);
  function carry(from, to) {
    if (from.type === "checkbox" || from.type === "radio") {
      if (to.checked !== from.checked) to.click();
      return;
    }
    /* the prototype's setter, so that React sees a controlled field change too */
    var desc = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(to), "value");
    if (desc && desc.set) desc.set.call(to, from.value);
    ["input", "change"].forEach(function (type) { to.dispatchEvent(new Event(type, {bubbles: true})); });
  }
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest("#ssr button");
    /* copy and image buttons act in the copy itself (below, and assets/explorer.js), and a
       form's submit button sends the form without Dash */
    if (b && !b.matches(".copy-button, [data-image-format], [type=submit]")) pressed = b;
  }, true);
  function twinOf(el, live) {
    if (el.tagName === "A") {
      var links = live.querySelectorAll("a[href]");
      for (var i = 0; i < links.length; i++) {
        if (links[i].getAttribute("href") === el.getAttribute("href") && links[i].textContent === el.textContent) return links[i];
      }
    }
    var path = [], node = el;
    for (; node && !node.id; node = node.parentElement) {
      path.unshift(Array.prototype.indexOf.call(node.parentElement.children, node));
    }
    if (!node || node.id === "ssr") return null;
    var twin = live.querySelector('[id="' + node.id.replace(/"/g, "") + '"]');
    for (var k = 0; twin && k < path.length; k++) twin = twin.children[path[k]];
    return twin && twin.tagName === el.tagName ? twin : null;
  }
  function dropCopy() {
    var copy = document.getElementById("ssr"), live = document.getElementById("react-entry-point");
    if (!copy || !live || !live.querySelector(".page")) return false;
    var active = document.activeElement || document.body;
    var focus = copy.contains(active) ? active : active === document.body && copy.contains(lastFocus) ? lastFocus : null;
    var twin = focus && twinOf(focus, live), press = pressed && twinOf(pressed, live);
    var fields = edited.filter(function (el) { return copy.contains(el); }).sort(function (a, b) {
      return a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    }).map(function (el) { return [el, twinOf(el, live)]; });
    var opened = Array.prototype.map.call(copy.querySelectorAll("details[open]"), function (el) { return twinOf(el, live); });
    copy.parentNode.removeChild(copy);
    opened.forEach(function (el) { if (el) el.open = true; });
    fields.forEach(function (pair) { if (pair[1]) carry(pair[0], pair[1]); });
    if (twin) {
      /* a part focused by reveal() below was made focusable there: so is its twin */
      if (focus.hasAttribute("tabindex") && !twin.hasAttribute("tabindex")) twin.setAttribute("tabindex", focus.getAttribute("tabindex"));
      twin.focus({preventScroll: true});
    }
    if (press) press.click();
    return true;
  }
  new MutationObserver(function (records, observer) {
    if (dropCopy()) observer.disconnect();
  }).observe(document.documentElement, {childList: true, subtree: true});

  var plotly = null, arrived, requested = false, wanted = false, interacted = false;
  var coming = new Promise(function (resolve) { arrived = resolve; });
  var EVENTS = ["pointermove", "pointerdown", "touchstart", "keydown", "wheel", "scroll", "focusin"];
  function loadPlotly() {
    if (requested || plotly) return;
    requested = true;
    var s = document.createElement("script");
    s.src = plotlyUrl;
    s.async = true;
    document.head.appendChild(s);
  }
  function interaction() {
    interacted = true;
    startDash();
    EVENTS.forEach(function (name) { window.removeEventListener(name, interaction, true); });
    if (wanted) loadPlotly();   /* a page without a chart never asks for it */
  }
  try {
    Object.defineProperty(window, "Plotly", {
      configurable: true,
      get: function () {
        if (!plotly) { wanted = true; if (interacted) loadPlotly(); }
        return plotly || coming;
      },
      set: function (p) { plotly = p; arrived(p); }
    });
    EVENTS.forEach(function (name) { window.addEventListener(name, interaction, {capture: true, passive: true}); });
  } catch (e) { /* a browser that cannot: dcc.Graph loads plotly.js itself */ }
  /* plotly.js, loaded now if it is not yet (the image buttons need it at once) */
  window.spiPlotly = function () { loadPlotly(); return coming; };

  function navigate(href) {
    window.history.pushState({}, "", href);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  }

  document.addEventListener("click", function (ev) {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    var a = ev.target.closest ? ev.target.closest("a") : null;
    if (!a) return;
    if (a.classList.contains("skip-link")) {
      /* move focus without touching the address (a #hash would re-run Dash's router) */
      var main = document.querySelector("#react-entry-point #main") || document.getElementById("main");
      if (main) { ev.preventDefault(); main.focus(); main.scrollIntoView(); }
      return;
    }
    if (a.classList.contains("lang-switch")) {
      var u = new URL(window.location.href);
      u.searchParams.set("lang", a.getAttribute("data-lang") || "en");
      ev.preventDefault();
      window.location.assign(u.toString());
      return;
    }
    var inReact = document.getElementById("react-entry-point");
    var spa = a.closest(".spa-links") || a.classList.contains("spa-link");
    if (!spa || !inReact || !inReact.contains(a)) return;
    var href = a.getAttribute("href") || a.getAttribute("xlink:href");
    if (!href || href.charAt(0) !== "/" || a.target) return;
    ev.preventDefault();
    navigate(href);
  });

  /* Charts on narrow screens: figures carry their title, subtitle and footer wrapped for
     a wide and for a narrow chart (layout.meta.texts, see figures.py); use the one that fits. */
  var NARROW = 560;
  function fit(gd) {
    var meta = gd.layout && gd.layout.meta, P = window.Plotly;
    /* an image being exported (explorer.js forExport) keeps the texts it was given */
    if (!meta || !meta.texts || meta.exported || !P || !P.relayout || !gd.clientWidth) return;
    var want = gd.clientWidth < NARROW ? "narrow" : "wide";
    var tx = meta.texts[want];
    if (gd.__spiFit === want && gd.layout.title && gd.layout.title.text === tx.title) return;
    gd.__spiFit = want;
    var box = gd.closest(".dash-graph") || gd.parentElement;
    if (box) box.style.height = tx.height + "px";
    var update = {"title.text": tx.title, "title.subtitle.text": tx.subtitle, "annotations[0].text": tx.foot,
                  "margin.t": tx.top, "margin.b": tx.bottom, "height": tx.height, "legend.orientation": tx.legend, "legend.y": tx.legend_y,
                  /* as figures.py _legend_order */
                  "legend.traceorder": tx.legend === "h" && meta.lang === "ar" ? "reversed+grouped" : "grouped"};
    /* a time axis's labels: fewer on a phone (figures.py _time_ticks) */
    if (tx.nticks !== undefined) update["xaxis.nticks"] = tx.nticks;
    P.relayout(gd, update);
  }
  function watch(gd) {
    if (gd.__spiWatched || !gd.on) return;
    gd.__spiWatched = true;
    gd.on("plotly_afterplot", function () { fit(gd); });
    if (window.ResizeObserver) new ResizeObserver(function () { fit(gd); }).observe(gd);
    fit(gd);
  }
  new MutationObserver(function () {
    var plots = document.querySelectorAll(".js-plotly-plot");
    for (var i = 0; i < plots.length; i++) watch(plots[i]);
  }).observe(document.documentElement, {childList: true, subtree: true});

  /* Sortable tables (server-rendered HTML inside RawHtml, so React never re-orders these rows):
     <table class="sortable"> with <button data-col="i" data-type="number|text"> in its headers;
     cells may carry data-sort (the value to sort by). Rows without a value go last. */
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest ? ev.target.closest("table.sortable th button[data-col]") : null;
    if (!b) return;
    var table = b.closest("table"), th = b.closest("th"), col = +b.getAttribute("data-col");
    var numeric = b.getAttribute("data-type") === "number";
    var desc = th.getAttribute("aria-sort") === "ascending";
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    function key(row) {
      var cell = row.cells[col];
      if (!cell) return null;
      var v = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
      if (v === "") return null;
      return numeric ? parseFloat(v) : v;
    }
    var collator = new Intl.Collator(document.documentElement.lang || undefined, {numeric: true});
    rows.sort(function (a, b2) {
      var x = key(a), y = key(b2);
      if (x === null) return y === null ? 0 : 1;
      if (y === null) return -1;
      var c = numeric ? x - y : collator.compare(x, y);
      return desc ? -c : c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      if (!cell.hasAttribute("aria-sort")) return;
      var mark = cell.querySelector(".sort-mark");
      if (cell === th) { cell.setAttribute("aria-sort", desc ? "descending" : "ascending"); if (mark) mark.textContent = desc ? "▼" : "▲"; }
      else { cell.setAttribute("aria-sort", "none"); if (mark) mark.textContent = "↕"; }
    });
  });

  /* An address with #id (a governorate chosen on the map or in the table): bring that part
     into view once the page has drawn it, on load and after an in-page navigation. */
  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    var tries = 0;
    var look = function () {
      var el = document.getElementById(id);   /* the live page's, or the server's copy's before Dash */
      if (el) {
        if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
        el.scrollIntoView({block: "start"});
        el.focus({preventScroll: true});
      } else if (tries++ < 60) {
        setTimeout(look, 50);
      }
    };
    look();
  }
  window.addEventListener("load", reveal);
  /* after an in-page navigation the new content arrives by a callback: look again as it lands */
  window.addEventListener("_dashprivate_pushstate", function () {
    [150, 400, 900].forEach(function (ms) { setTimeout(reveal, ms); });
  });
  window.addEventListener("hashchange", reveal);

  /* The indicator picker's search: every word must be found in an indicator's names (both
     languages); Arabic letter forms and diacritics are folded on both sides. */
  function fold(text) {
    return (text || "").toLowerCase()
      .replace(/[\u064B-\u0652\u0670\u0640]/g, "")          /* harakat, dagger alif, tatweel */
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627")     /* آ أ إ ٱ -> ا */
      .replace(/\u0649/g, "\u064A").replace(/\u0629/g, "\u0647") /* ى -> ي, ة -> ه */
      .replace(/\s+/g, " ").trim();
  }
  document.addEventListener("input", function (ev) {
    var box = ev.target;
    var picker = box.closest && box.closest(".picker");
    if (!picker || box.type !== "search") return;
    var words = fold(box.value).split(" ").filter(Boolean);
    var shown = 0;
    picker.querySelectorAll(".picker-group").forEach(function (group) {
      var any = false;
      group.querySelectorAll("li[data-search]").forEach(function (li) {
        var text = fold(li.getAttribute("data-search"));
        var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
        li.hidden = !hit; any = any || hit; shown += hit ? 1 : 0;
      });
      group.hidden = !any;
    });
    var none = picker.querySelector(".picker-none");
    if (none) none.hidden = shown > 0;
  });

  /* An embedded chart tells the page around it how tall it is (store/embed.py's snippet sizes
     its iframe to that), whenever that changes. */
  if (window.parent !== window) {
    var told = 0;
    var tell = function () {
      var page = document.querySelector("#react-entry-point .embed") || document.querySelector("#ssr .embed");
      if (!page) return;
      var h = Math.ceil(page.getBoundingClientRect().height);
      if (h && h !== told) { told = h; window.parent.postMessage({spiEmbedHeight: h}, "*"); }
    };
    window.addEventListener("load", function () {
      tell();
      if (window.ResizeObserver) { new ResizeObserver(tell).observe(document.body); }
      setTimeout(tell, 500); setTimeout(tell, 1500);
    });
  }

  /* Copy buttons: <button class="copy-button" data-copy-target="id"> copies that field;
     <button class="copy-button" data-copy="text"> copies its text (a long address shown short
     beside it, dashboard/pages/data.py _address) */
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest ? ev.target.closest(".copy-button") : null;
    if (!b) return;
    var el = document.getElementById(b.getAttribute("data-copy-target"));
    if (!el && !b.hasAttribute("data-copy")) return;
    var text = el ? (el.value !== undefined ? el.value : el.textContent) : b.getAttribute("data-copy");
    if (el && el.select) { el.focus(); el.select(); }
    var done = function () {
      /* the button says "Copied" until the next copy or for 6 s; the live region tells a screen reader */
      document.querySelectorAll(".copy-button[data-copied]").forEach(function (other) {
        if (other !== b) { other.textContent = other.getAttribute("data-label"); other.removeAttribute("data-copied"); }
      });
      if (!b.hasAttribute("data-label")) { b.setAttribute("data-label", b.textContent); }
      b.textContent = b.getAttribute("data-copied-label") || b.textContent;
      b.setAttribute("data-copied", "1");
      var box = b.closest(".copy-box, .copy-inline"), status = box && box.querySelector(".copy-status");
      if (status) { status.textContent = b.textContent; }
      clearTimeout(b._copiedTimer);
      b._copiedTimer = setTimeout(function () {
        b.textContent = b.getAttribute("data-label"); b.removeAttribute("data-copied");
        if (status) { status.textContent = ""; }
      }, 6000);
    };
    if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(text).then(done, done); }
    else { copySelected(text, el); done(); }
  });
  /* Without the Clipboard API (a page not served over HTTPS): the old way, from a selection;
     a text with no field of its own is put in a field for the moment of the copy. */
  function copySelected(text, field) {
    var tmp = field ? null : document.createElement("textarea"), back = document.activeElement;
    if (tmp) { tmp.value = text; tmp.setAttribute("readonly", ""); tmp.className = "visually-hidden"; document.body.appendChild(tmp); tmp.select(); }
    try { document.execCommand("copy"); } catch (e) { /* the field's selection is left for the reader */ }
    if (tmp) { tmp.parentNode.removeChild(tmp); if (back && back.focus) back.focus({preventScroll: true}); }
  }
})();
