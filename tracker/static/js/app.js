// Small behaviours without inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var message = form.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});
// A submit button may ask for its own confirmation (data-confirm on the button, not the form).
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var message = button && button.getAttribute("data-confirm");
  if (message && !event.defaultPrevented && !window.confirm(message)) {
    event.preventDefault();
  }
});
// File inputs with data-max-bytes refuse a too-large file before it is sent (the server checks again).
document.addEventListener("change", function (event) {
  var input = event.target;
  var limit = input.getAttribute && Number(input.getAttribute("data-max-bytes"));
  if (!limit || !input.files) {
    return;
  }
  var tooLarge = Array.prototype.filter.call(input.files, function (file) { return file.size > limit; });
  var note = input.parentNode.querySelector(".js-file-error");
  if (!note) {
    note = document.createElement("div");
    note.className = "invalid-feedback d-block js-file-error";
    note.setAttribute("data-field-error", input.name);
    input.parentNode.appendChild(note);
  }
  if (tooLarge.length) {
    note.textContent = tooLarge.map(function (file) { return file.name; }).join(", ") + ": " + input.getAttribute("data-too-large");
    input.value = "";
  } else {
    note.textContent = "";
  }
});
// Nominations: a "choose all" checkbox (data-select-all="<name of the row checkboxes>").
document.addEventListener("change", function (event) {
  var master = event.target.closest && event.target.closest("[data-select-all]");
  if (!master) {
    return;
  }
  var scope = master.closest("form") || document;
  var boxes = scope.querySelectorAll('input[type="checkbox"][name="' + master.getAttribute("data-select-all") + '"]');
  Array.prototype.forEach.call(boxes, function (box) { box.checked = master.checked; });
});
// Nominations: show the fields of an individual or of a collective (data-kind-switch / data-kind-only).
function trackerShowKind(select) {
  var form = select.closest("form") || document;
  Array.prototype.forEach.call(form.querySelectorAll("[data-kind-only]"), function (part) {
    part.hidden = part.getAttribute("data-kind-only") !== select.value;
  });
}
// The proposed award offers only the awards for the chosen kind (options carry data-recipient:
// individual, collective, or both)
// under the chosen plan's legal regime (data-plans: the plans whose regime has it).
function trackerFilterAwards(form) {
  var kind = form.querySelector("[data-kind-switch]");
  var plan = form.querySelector("select[name=plan_id]");
  Array.prototype.forEach.call(form.querySelectorAll("option[data-recipient]"), function (option) {
    var plans = (option.getAttribute("data-plans") || "").split(" ");
    var recipient = option.getAttribute("data-recipient");
    var hide = Boolean((kind && kind.value && recipient !== "both" && recipient !== kind.value) ||
                       (plan && plan.value && plans.indexOf(plan.value) < 0));
    option.hidden = hide;
    option.disabled = hide;
    if (hide && option.selected) {
      option.parentNode.value = "";
    }
  });
}
// A movement list follows the chosen plan (options carry data-plan; data-plan-filter names the plan select).
function trackerFilterMovements(movements) {
  var plan = document.getElementById(movements.getAttribute("data-plan-filter"));
  var chosen = plan ? plan.value : "";
  Array.prototype.forEach.call(movements.options, function (option) {
    var owner = option.getAttribute("data-plan");
    var hide = Boolean(owner && chosen && owner !== chosen);
    option.hidden = hide;
    option.disabled = hide;
    if (hide && option.selected) {
      movements.value = "";
    }
  });
}
// The share of votes in favour, shown while typing (data-share-present / -votes / -output).
function trackerShowShare(form) {
  var present = form.querySelector("[data-share-present]");
  var votes = form.querySelector("[data-share-votes]");
  var output = form.querySelector("[data-share-output]");
  if (!present || !votes || !output) {
    return;
  }
  var p = Number(present.value), v = Number(votes.value);
  var share = Math.round(1000 * v / p) / 10;  // one decimal, with the page language's decimal sign (91,7)
  output.textContent = present.value && votes.value && p > 0 && v >= 0
    ? share.toLocaleString(document.documentElement.lang === "en" ? "en" : "vi-VN") + "%" : "";
}
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("[data-kind-switch]")) {
    trackerShowKind(target);
  }
  if (target.matches && target.matches("[data-kind-switch], select[name=plan_id]") && target.form) {
    trackerFilterAwards(target.form);
  }
  if (target.tagName === "SELECT") {
    Array.prototype.forEach.call(document.querySelectorAll('[data-plan-filter="' + target.id + '"]'), trackerFilterMovements);
  }
});
document.addEventListener("input", function (event) {
  if (event.target.matches && event.target.matches("[data-share-present], [data-share-votes]")) {
    trackerShowShare(event.target.closest("form"));
  }
});
document.addEventListener("DOMContentLoaded", function () {
  Array.prototype.forEach.call(document.querySelectorAll("[data-kind-switch]"), trackerShowKind);
  Array.prototype.forEach.call(document.querySelectorAll("[data-plan-filter]"), trackerFilterMovements);
  Array.prototype.forEach.call(document.querySelectorAll("[data-kind-switch]"), function (select) {
    if (select.form) {
      trackerFilterAwards(select.form);
    }
  });
});

// A button with data-copy="<input id>" copies that field's text (the calendar link), through the
// clipboard API where the browser allows it, else by selecting it; it says "Copied" for a moment.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) {
    return;
  }
  var field = document.getElementById(button.getAttribute("data-copy"));
  if (!field) {
    return;
  }
  var label = button.textContent;
  function copied() {
    button.textContent = button.getAttribute("data-copied") || label;
    var status = document.querySelector("[data-copy-status]");
    if (status) {
      status.textContent = button.textContent;
    }
    window.setTimeout(function () { button.textContent = label; }, 2000);
  }
  function bySelection() {
    field.focus();
    field.select();
    try {
      if (document.execCommand("copy")) {
        copied();
      }
    } catch (error) {
      // nothing more to do: the text stays selected for the user to copy
    }
  }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(copied, bySelection);
  } else {
    bySelection();
  }
});
// A form being sent (a POST: an upload, an import, a decision) cannot be sent twice: its submit
// buttons say they are working and are disabled just after the browser has taken the form's
// values (disabling the clicked button first would drop its name from them). Coming back to the
// page through the browser's history gives the buttons back.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (event.defaultPrevented || (form.getAttribute("method") || "get").toLowerCase() !== "post") {
    return;
  }
  if (form.getAttribute("data-submitting") === "yes") {
    event.preventDefault();
    return;
  }
  form.setAttribute("data-submitting", "yes");
  form.setAttribute("aria-busy", "true");
  var busy = document.body.getAttribute("data-busy-label");
  window.setTimeout(function () {
    Array.prototype.forEach.call(form.querySelectorAll("button[type=submit], button:not([type])"), function (button) {
      button.disabled = true;
      if (button === event.submitter && busy) {
        button.setAttribute("data-label", button.textContent);
        button.textContent = busy;
      }
    });
  }, 0);
});
window.addEventListener("pageshow", function () {
  Array.prototype.forEach.call(document.querySelectorAll("form[data-submitting]"), function (form) {
    form.removeAttribute("data-submitting");
    form.removeAttribute("aria-busy");
    Array.prototype.forEach.call(form.querySelectorAll("button[disabled]"), function (button) {
      button.disabled = false;
      if (button.hasAttribute("data-label")) {
        button.textContent = button.getAttribute("data-label");
      }
    });
  });
});
// A table wider than the screen scrolls in its frame (.table-responsive); a frame that scrolls and
// holds nothing a keyboard can reach becomes a tab stop itself, so that the arrow keys scroll it.
function keyboardScrolling() {
  document.querySelectorAll(".table-responsive").forEach(function (frame) {
    var scrolls = frame.scrollWidth > frame.clientWidth + 1;
    var reachable = frame.querySelector("a[href], button, input, select, textarea, [tabindex]");
    if (scrolls && !reachable) {
      frame.setAttribute("tabindex", "0");
      if (!frame.hasAttribute("aria-label")) {
        var caption = frame.querySelector("caption");
        var labelled = frame.querySelector("table[aria-label]");
        var label = caption ? caption.textContent : labelled && labelled.getAttribute("aria-label");
        frame.setAttribute("role", "region");
        frame.setAttribute("aria-label", (label || document.title).trim());
      }
    } else if (frame.getAttribute("tabindex") === "0" && !scrolls) {
      frame.removeAttribute("tabindex");
    }
  });
}
document.addEventListener("DOMContentLoaded", keyboardScrolling);
window.addEventListener("resize", keyboardScrolling);
// Recording an award received: the award list (select[data-award-by-date], options with
// data-regime-from / -to) offers only the legal regime in force on the decision date typed
// (dd/mm/yyyy), or else at the end of the year typed.
function trackerFilterAwardsByDate(form) {
  var select = form.querySelector("select[data-award-by-date]");
  if (!select) {
    return;
  }
  var year = form.querySelector("[name$=year]");
  var decided = form.querySelector("[name$=decision_date]");
  var parts = decided ? /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(decided.value) : null;
  var pad = function (n) { return ("0" + n).slice(-2); };
  var day = parts ? parts[3] + "-" + pad(parts[2]) + "-" + pad(parts[1])
    : (year && /^\s*\d{4}\s*$/.test(year.value) ? year.value.trim() + "-12-31" : "");
  Array.prototype.forEach.call(select.querySelectorAll("option[data-regime-from]"), function (option) {
    var hide = Boolean(day && (day < option.getAttribute("data-regime-from") || day > option.getAttribute("data-regime-to")));
    option.hidden = hide;
    option.disabled = hide;
    if (hide && option.selected) {
      select.value = "";
    }
  });
  Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
    group.hidden = !group.querySelector("option:not([hidden])");
  });
}
document.addEventListener("input", function (event) {
  if (event.target.form && event.target.form.querySelector("select[data-award-by-date]")) {
    trackerFilterAwardsByDate(event.target.form);
  }
});
document.addEventListener("change", function (event) {
  if (event.target.form && event.target.form.querySelector("select[data-award-by-date]")) {
    trackerFilterAwardsByDate(event.target.form);
  }
});
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-award-by-date]").forEach(function (select) {
    trackerFilterAwardsByDate(select.form);
  });
});
