/* Copy buttons of the "Embed" control on publication pages (issue 6). */
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-sn-copy]") : null;
  if (!button) { return; }
  var field = document.getElementById(button.getAttribute("data-sn-copy"));
  if (!field) { return; }
  function done(text) {
    button.textContent = text;
    setTimeout(function () { button.textContent = "Copy"; }, 2000);
  }
  function fallback() {
    field.focus();
    field.select();
    done(document.execCommand && document.execCommand("copy") ? "Copied" : "Press Ctrl+C");
  }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(function () { done("Copied"); }, fallback);
  } else {
    fallback();
  }
});
