/* Hover over the server-drawn chart (dashboard/chart_svg.py) and the overview's sparklines
   (dashboard/svg.py), from the first paint.
   The interactive chart (plotly.js) comes seconds after the reader's first move on a slow
   phone; until it has drawn, the server's twin is the chart, and this makes it answer a
   pointer or a tap as the live chart's hover does: the mark nearest the pointer (within
   HOVER_PX, as Plotly's hoverdistance) shows its words, which the server wrote on it
   (data-tip: period or place, figure with its unit and status; its trace's data-name above).
   The tooltip is aria-hidden: the chart's text alternative, its notes and the table under it
   say the same figures to a screen reader. It is absolutely placed in the mark's box, a new
   one for each mark, so nothing moves (no layout shift) when it shows or follows the pointer;
   it goes with the twin, which CSS hides once plotly.js has drawn (assets/style.css
   .chart-box). A long line's points without a marker carry no words: the line draws them and
   the table lists them. */
(function () {
  "use strict";
  var HOVER_PX = 20, tip = null, current = null;

  function away(rect, x, y) {
    var dx = Math.max(rect.left - x, 0, x - rect.right), dy = Math.max(rect.top - y, 0, y - rect.bottom);
    return Math.sqrt(dx * dx + dy * dy);
  }
  function nearest(svg, x, y) {
    var best = null, least = HOVER_PX;
    var marks = svg.querySelectorAll("[data-tip]");
    for (var i = 0; i < marks.length; i++) {
      var d = away(marks[i].getBoundingClientRect(), x, y);
      if (d <= least) { least = d; best = marks[i]; }
    }
    return best;
  }
  function hide() {
    if (tip && tip.parentNode) tip.parentNode.removeChild(tip);
    tip = current = null;
  }
  function show(mark, box) {
    if (current === mark && tip && tip.parentNode) return;
    /* a new tooltip for each mark: one that moved from mark to mark would be a layout shift
       (Chrome counts an element's move, by left/top or by a transform); a new one is not */
    hide();
    tip = document.createElement("div");
    tip.className = "chart-tip";
    tip.setAttribute("aria-hidden", "true");
    tip.appendChild(document.createElement("b"));
    tip.appendChild(document.createElement("span"));
    var group = mark.closest("[data-name]"), name = group ? group.getAttribute("data-name") : "";
    tip.firstChild.textContent = name;
    tip.firstChild.hidden = !name;
    tip.lastChild.textContent = mark.getAttribute("data-tip");
    tip.style.borderColor = mark.getAttribute("fill") || (mark.closest("[stroke]") || mark).getAttribute("stroke") || "";
    box.appendChild(tip);
    current = mark;
    var at = mark.getBoundingClientRect(), frame = box.getBoundingClientRect();
    var left = (at.left + at.right) / 2 - frame.left - tip.offsetWidth / 2;
    left = Math.max(0, Math.min(left, frame.width - tip.offsetWidth));
    var top = at.top - frame.top - tip.offsetHeight - 8;
    if (top < 0) top = at.bottom - frame.top + 8;   /* no room above the mark: under it */
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }
  function point(ev) {
    var svg = ev.target.closest && ev.target.closest(".chart-twin-svg, svg.sparkline");
    var mark = svg && nearest(svg, ev.clientX, ev.clientY);
    if (mark) show(mark, svg.parentNode); else hide();
  }
  /* a mouse's move, and a tap (pointerdown) on a touch screen; elsewhere, the tooltip goes,
     and when the mouse leaves the page (a finger lifted leaves too: its tooltip stays) */
  document.addEventListener("pointermove", point, {passive: true});
  document.addEventListener("pointerdown", point, {passive: true});
  document.documentElement.addEventListener("pointerleave", function (ev) {
    if (ev.pointerType === "mouse") hide();
  }, {passive: true});
})();
