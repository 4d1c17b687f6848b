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
