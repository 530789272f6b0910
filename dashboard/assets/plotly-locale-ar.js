/* Arabic locale for plotly.js, written for this project (Oman/Gulf usage).
   plotly.js's own "ar" locale uses Levantine month names (كانون الثاني…) and has no
   translations of the toolbar; this one uses يناير، فبراير… and translates what the
   dashboard shows. Digits stay Latin, as in the rest of the dashboard. Registered before
   plotly.js loads (window.PlotlyLocales) or straight away if it is already there. */
(function () {
  "use strict";
  var locale = {
    moduleType: "locale",
    name: "ar",
    dictionary: {
      "Autoscale": "ضبط تلقائي للمحاور",
      "Box Select": "تحديد مستطيل",
      "Compare data on hover": "قارن البيانات عند المرور",
      "Double-click on legend to isolate one trace": "انقر مرتين على المفتاح لعزل سلسلة واحدة",
      "Double-click to zoom back out": "انقر مرتين للعودة إلى العرض الكامل",
      "Download plot as a PNG": "تنزيل الرسم صورةً PNG",
      "Download plot as a png": "تنزيل الرسم صورةً PNG",
      "Download plot": "تنزيل الرسم",
      "Lasso Select": "تحديد حر",
      "Pan": "تحريك",
      "Produced with Plotly.js": "أُنتج باستخدام Plotly.js",
      "Reset": "إعادة الضبط",
      "Reset axes": "إعادة ضبط المحاور",
      "Reset view": "إعادة ضبط العرض",
      "Reset views": "إعادة ضبط العروض",
      "Show closest data on hover": "أظهر أقرب قيمة عند المرور",
      "Snapshot succeeded": "تم حفظ الصورة",
      "Sorry, there was a problem downloading your snapshot!": "عذرًا، تعذّر تنزيل الصورة",
      "Taking snapshot - this may take a few seconds": "يجري حفظ الصورة، قد يستغرق ذلك بضع ثوانٍ",
      "Toggle Spike Lines": "إظهار خطوط الإسقاط أو إخفاؤها",
      "Toggle show closest data on hover": "إظهار أقرب قيمة عند المرور أو إخفاؤه",
      "Zoom": "تكبير منطقة",
      "Zoom in": "تكبير",
      "Zoom out": "تصغير",
      "trace": "سلسلة",
      "new text": "نص جديد"
    },
    format: {
      days: ["الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"],
      shortDays: ["الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"],
      months: ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
               "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"],
      shortMonths: ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
                    "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"],
      date: "%d/%m/%Y",
      decimal: ".",
      thousands: ","
    }
  };
  if (window.Plotly && window.Plotly.register) { window.Plotly.register(locale); }
  else { (window.PlotlyLocales = window.PlotlyLocales || []).push(locale); }
})();
