/* Starts Swagger UI (vendored: swagger-ui-dist, see README.md here) on Arna's OpenAPI
 * description. A file rather than an inline script, for the Content-Security-Policy; no
 * validator badge, which would send the description to another host. */
(function () {
  "use strict";
  function start() {
    var root = document.getElementById("swagger-ui");
    if (!root || typeof SwaggerUIBundle === "undefined") return;
    window.ui = SwaggerUIBundle({
      url: root.getAttribute("data-url"),
      domNode: root,
      deepLinking: true,
      validatorUrl: null,
      tryItOutEnabled: false,
      defaultModelsExpandDepth: 0,
      presets: [SwaggerUIBundle.presets.apis],
      layout: "BaseLayout"
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
