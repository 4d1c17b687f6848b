// Every date field of the tracker is a text field read as dd/mm/yyyy (tracker.forms_base.DayField):
// this adds the vendored calendar (vanillajs-datepicker) to pick a day from, in the page's language.
// Typing stays possible; the server reads and checks what is sent either way.
(function () {
  "use strict";
  if (typeof Datepicker === "undefined") {
    return;
  }
  var language = document.documentElement.getAttribute("lang") === "vi" ? "vi" : "en";
  Array.prototype.forEach.call(document.querySelectorAll("input[data-datepicker]"), function (input) {
    // The calendar opens at the tracker's today (a demo may pin it), not the computer's.
    var today = input.getAttribute("data-today");
    new Datepicker(input, {
      format: "dd/mm/yyyy",
      language: language,
      autohide: true,
      clearButton: true,
      weekStart: 1,
      buttonClass: "btn",
      defaultViewDate: today ? Datepicker.parseDate(today, "dd/mm/yyyy") : undefined
    });
  });
})();
