// The applicant's pages: the tracking link and the confirmation's Copy and Print buttons.
//
// A tracking link is /track#number=A-…&code=…: the fragment (after #) never leaves the browser,
// so the access code reaches neither the server's logs nor any referrer. Here it is moved into
// the tracking form, wiped from the address bar and history, and the form is posted.
// Without JavaScript the pages work as they are: the code sits in a box to select and copy.
(function () {
  "use strict";

  function fromFragment() {
    var form = document.getElementById("track-form");
    if (!form || !window.location.hash) return;
    var params = new URLSearchParams(window.location.hash.slice(1));
    var number = params.get("number");
    var code = params.get("code");
    // Forget the fragment before anything else: the code must not stay in the history.
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
    if (!number) return;
    form.elements.number.value = number.slice(0, 40);
    if (!code) {
      form.elements.code.focus();
      return;
    }
    form.elements.code.value = code.slice(0, 40);
    form.submit();
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain http (a local network): select a hidden copy of the text and ask for a copy.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function selectContents(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function buttons() {
    document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) return;
      var label = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        var text = source.href || source.textContent.trim();
        copyText(text).then(
          function () {
            button.textContent = button.getAttribute("data-done") || label;
            button.setAttribute("data-copied", "true");
            window.setTimeout(function () {
              button.textContent = label;
            }, 3000);
          },
          function () {
            selectContents(source); // the reader copies it by hand
          }
        );
      });
    });
    document.querySelectorAll("button.print").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
    var hint = document.querySelector(".no-js-hint");
    if (hint && document.querySelector("button.copy:not([hidden])")) hint.hidden = true;
  }

  function start() {
    fromFragment();
    buttons();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
