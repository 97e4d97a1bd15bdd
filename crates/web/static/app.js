// Asks before a form marked data-confirm is sent (deleting a record). A
// file of its own, not an inline handler: the pages' Content-Security-Policy
// runs scripts from this site only.
document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute && e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) {
    e.preventDefault();
  }
});

// The period picker shows only the fields its kind uses; without script
// every field shows and the server reads the ones the kind needs.
function pickPeriod() {
  var kind = document.getElementById("loai");
  if (!kind) {
    return;
  }
  var fields = document.querySelectorAll("#period-picker [data-kinds]");
  for (var i = 0; i < fields.length; i++) {
    var kinds = fields[i].getAttribute("data-kinds").split(" ");
    fields[i].hidden = kinds.indexOf(kind.value) < 0;
  }
}
document.addEventListener("change", function (e) {
  if (e.target && e.target.id === "loai") {
    pickPeriod();
  }
});
document.addEventListener("DOMContentLoaded", pickPeriod);
