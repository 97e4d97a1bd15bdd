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

// Record forms remember the last unit and date entered: an officer
// recording a day's events picks them once. Only empty fields are filled,
// so what the server put there (today's date, a value sent back with an
// error) is never replaced.
var REMEMBER = "danvan.last.";
document.addEventListener("submit", function (e) {
  var form = e.target;
  if (!form.hasAttribute || !form.hasAttribute("data-remember")) {
    return;
  }
  var unit = form.querySelector("[name=unit_id]");
  if (unit && unit.value) {
    localStorage.setItem(REMEMBER + "unit", unit.value);
  }
  var date = form.querySelector("[data-date]");
  if (date && date.value) {
    localStorage.setItem(REMEMBER + "date", date.value);
  }
});
function recall() {
  var forms = document.querySelectorAll("form[data-remember]");
  for (var i = 0; i < forms.length; i++) {
    var unit = forms[i].querySelector("select[name=unit_id]");
    var last = localStorage.getItem(REMEMBER + "unit");
    if (unit && !unit.value && last && unit.querySelector("option[value='" + last.replace(/\D/g, "") + "']")) {
      unit.value = last;
    }
    var dates = forms[i].querySelectorAll("[data-date]");
    var lastDate = localStorage.getItem(REMEMBER + "date");
    for (var j = 0; j < dates.length && lastDate; j++) {
      if (!dates[j].value) {
        dates[j].value = lastDate;
      }
    }
  }
}

// A long list of units gets a search box above it: typing "da tong"
// finds "xã Đạ Tông" (diacritics and đ folded, as the server folds them).
function fold(s) {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
}
function unitSearch() {
  var selects = document.querySelectorAll("select[name=unit_id], select[name=don_vi]");
  for (var i = 0; i < selects.length; i++) {
    var select = selects[i];
    if (select.options.length < 8 || select.getAttribute("data-searchable")) {
      continue;
    }
    select.setAttribute("data-searchable", "1");
    var box = document.createElement("input");
    box.type = "search";
    box.className = "unit-search";
    box.placeholder = "Tìm đơn vị (gõ không dấu được)";
    box.setAttribute("aria-label", "Tìm đơn vị");
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", (function (select, box) {
      return function () {
        var words = fold(box.value).split(/\s+/).filter(Boolean);
        var first = null;
        for (var k = 0; k < select.options.length; k++) {
          var o = select.options[k];
          var text = fold(o.textContent);
          var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
          o.hidden = !hit;
          if (hit && first === null && o.value) {
            first = o;
          }
        }
        if (first && words.length) {
          select.value = first.value;
        }
      };
    })(select, box));
  }
}
document.addEventListener("DOMContentLoaded", function () {
  recall();
  unitSearch();
});
