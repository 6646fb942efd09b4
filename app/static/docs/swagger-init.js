// Starts Swagger UI for /docs. A file, not an inline script, so the page's
// Content-Security-Policy can forbid inline scripts. The page gives the URLs.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null, // never call the public validator (no outside hosts)
    presets: [SwaggerUIBundle.presets.apis],
  });
})();
