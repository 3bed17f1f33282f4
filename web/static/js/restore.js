// Puts back what the user typed into a form that was posted after their session had ended
// (the server keeps it over the login; see internal/web/pending.go). Fields are matched by
// name; the one-time form token is never among the values, so the page's fresh one is sent.
// The notice then says what happened, and the user reads the form through and sends it.
(function () {
  "use strict";
  var box = document.getElementById("restore-notice");
  if (!box) return;
  var values;
  try {
    values = JSON.parse(box.getAttribute("data-values") || "{}");
  } catch (e) {
    return;
  }
  var restored = 0;
  Object.keys(values).forEach(function (name) {
    var vs = values[name] || [];
    var fields = document.getElementsByName(name);
    Array.prototype.forEach.call(fields, function (el, i) {
      if (!el.form) return;
      var type = (el.type || "").toLowerCase();
      if (type === "checkbox" || type === "radio") {
        el.checked = vs.indexOf(el.value) >= 0;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = vs.indexOf(o.value) >= 0; });
      } else if (i < vs.length) {
        el.value = vs[i];
      } else {
        return;
      }
      restored++;
    });
  });
  if (restored === 0) return;
  var text = box.querySelector("[data-restore-text]");
  if (text) {
    text.textContent = "Du blev logget ud, før formularen blev sendt. Det, du skrev, er sat ind igen nedenfor: " +
      "læs det igennem, og send formularen igen.";
  }
})();
