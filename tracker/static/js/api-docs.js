// The API's documentation page: Swagger UI (from the app's own static files) over the
// OpenAPI document the app generates.
(function () {
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: root.getAttribute("data-spec"), dom_id: "#swagger-ui", deepLinking: true });
})();
