// A job's page: asks the status address every second and moves the progress bar, the phase
// and the row count; when the job ends, the page is loaded again to show the download or the
// errors (the Content-Security-Policy allows no inline script; the page reads well without it).
(function () {
  "use strict";
  var box = document.querySelector("[data-status-url]");
  if (!box || box.getAttribute("data-status") === "done" || box.getAttribute("data-status") === "failed") {
    return;
  }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("[data-testid=job-progress]");
  var phase = box.querySelector("[data-testid=job-phase]");
  var percent = box.querySelector("[data-testid=job-percent]");
  var counted = box.querySelector("[data-testid=job-counted]");
  var delay = 1000;

  function show(state) {
    bar.value = state.percent;
    bar.textContent = state.percent + "%";
    phase.textContent = state.phase;
    percent.textContent = state.percent + "%";
    counted.textContent = state.counted;
    box.setAttribute("data-status", state.status);
  }

  function ask() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.finished) {
          window.location.reload();
          return;
        }
        delay = 1000;
        window.setTimeout(ask, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);  // the server is busy or away: ask less often
        window.setTimeout(ask, delay);
      });
  }

  window.setTimeout(ask, delay);
})();
