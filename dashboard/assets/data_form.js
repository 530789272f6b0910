/* The Data page's form (dashboard/pages/data.py): when the indicator changes, the area, period
   and breakdown lists offer at once only what that indicator has, with no request and no
   submit. The server draws the lists for the indicator it was sent, so without JavaScript the
   form works too (one submit to change the indicator, one to choose in its lists).

   The form carries every indicator's lists in data-choices (JSON: {labels: {list: {value:
   words}}, sets: {list: [[values], ...]}, of: {indicator: {list: its index in sets}}}: a list
   many indicators share is written once; a period is its own label). A list that follows
   the indicator is a <select data-list="geo|period|breakdown" data-fixed="N">: its first N
   options (every place, no limit, the full series, totals only) stay whatever the indicator.
   A choice the new indicator does not have goes back to the first option. */
(function () {
  "use strict";

  function choices(form) {
    if (!form.spiChoices) {
      try { form.spiChoices = JSON.parse(form.getAttribute("data-choices")); }
      catch (e) { form.spiChoices = {labels: {}, sets: {}, of: {}}; }
    }
    return form.spiChoices;
  }

  function refill(select, values, labels) {
    var fixed = parseInt(select.getAttribute("data-fixed"), 10) || 0;
    var kept = select.value;
    while (select.options.length > fixed) { select.remove(fixed); }
    values.forEach(function (v) { select.add(new Option(labels[v] || v, v)); });
    select.value = kept;
    if (select.value !== kept) { select.selectedIndex = 0; }
  }

  document.addEventListener("change", function (ev) {
    var box = ev.target, form = box.form;
    if (box.name !== "indicator" || !form || !form.hasAttribute("data-choices")) { return; }
    var all = choices(form), lists = all.of[box.value];
    if (!lists) { return; }
    Array.prototype.forEach.call(form.querySelectorAll("select[data-list]"), function (select) {
      var name = select.getAttribute("data-list");
      refill(select, (all.sets[name] || [])[lists[name]] || [], all.labels[name] || {});
    });
  });
})();
