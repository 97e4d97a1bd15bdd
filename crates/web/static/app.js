// Asks before a form marked data-confirm is sent (deleting a record). A
// file of its own, not an inline handler: the pages' Content-Security-Policy
// runs scripts from this site only.
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute && e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) {
    e.preventDefault();
  }
});
