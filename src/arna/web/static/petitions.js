// The author's manage link of a petition: /petitions/P-…/manage#code=…. The fragment (after #)
// never leaves the browser, so the code reaches neither the server's logs nor any referrer. Here
// it is moved into the form, wiped from the address bar and history, and the form is posted.
// Without JavaScript the page works as it is: the author types the code.
(function () {
  "use strict";

  function fromFragment() {
    var form = document.getElementById("manage-form");
    if (!form || !window.location.hash) return;
    var params = new URLSearchParams(window.location.hash.slice(1));
    var code = params.get("code");
    // Forget the fragment before anything else: the code must not stay in the history.
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
    if (!code) return;
    form.elements.code.value = code.slice(0, 40);
    form.submit();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fromFragment);
  } else {
    fromFragment();
  }
})();
