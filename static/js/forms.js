/* Forms in Vietnamese, whatever the browser's language (loaded by base.html; no inline code, the
   Content-Security-Policy forbids it).
   - Date and time boxes (units/widgets.py DateInput, TimeInput): the slashes of dd/mm/yyyy and
     the colon of hh:mm are added as the digits are typed; the server reads and checks them.
   - File boxes (templates/widgets/file_input.html): the chosen files' names are shown next to
     the "Chọn tệp…" button, instead of the browser's English "No file chosen".
   - The browser's own checks (a required box left empty, a text too long…) speak Vietnamese:
     the messages are the data-* attributes of this script's tag, translated on the server. */
(function () {
  "use strict";
  var messages = document.currentScript ? document.currentScript.dataset : {};
  function say(name, key, value) {
    return (messages[name] || "").replace(key, value);
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || (event.inputType && event.inputType.indexOf("delete") === 0)) return;
    var value = box.value;
    if (box.matches("input[data-date-input]")) {
      value = value.replace(/\/{2,}/g, "/");
      if (/^\d{2}$/.test(value) || /^\d{1,2}\/\d{2}$/.test(value)) value += "/";
    } else if (box.matches("input[data-time-input]")) {
      value = value.replace(/:{2,}/g, ":");
      if (/^\d{2}$/.test(value)) value += ":";
    } else {
      return;
    }
    if (value !== box.value) box.value = value;
  });

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input.file-picker-input")) return;
    var shown = box.parentNode.querySelector(".file-picker-name");
    if (!shown) return;
    var names = Array.prototype.map.call(box.files || [], function (f) { return f.name; });
    if (names.length === 0) shown.textContent = shown.dataset.empty;
    else if (names.length === 1) shown.textContent = names[0];
    else shown.textContent = shown.dataset.several.replace("%(n)s", names.length) + names.join(", ");
  });

  function explain(box) {
    var v = box.validity;
    if (v.valueMissing) {
      if (box.type === "file") return messages.missingFile;
      if (box.tagName === "SELECT" || box.type === "radio") return messages.missingChoice;
      if (box.type === "checkbox") return messages.missingCheck;
      return messages.missing;
    }
    if (v.typeMismatch && box.type === "email") return messages.email;
    if (v.typeMismatch && box.type === "url") return messages.url;
    if (v.tooLong) return say("tooLong", "%(max)s", box.maxLength);
    if (v.tooShort) return say("tooShort", "%(min)s", box.minLength);
    if (v.rangeUnderflow) return say("min", "%(min)s", box.min);
    if (v.rangeOverflow) return say("max", "%(max)s", box.max);
    if (v.badInput || v.stepMismatch || v.typeMismatch) return messages.number;
    return messages.invalid;
  }

  // "invalid" does not bubble: listen while capturing. The message is cleared as soon as the box
  // changes, so the browser checks it afresh.
  document.addEventListener("invalid", function (event) {
    var box = event.target;
    if (!box.setCustomValidity) return;
    box.setCustomValidity("");
    if (!box.validity.valid) box.setCustomValidity(explain(box) || "");
  }, true);
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.target.setCustomValidity) event.target.setCustomValidity("");
    }, true);
  });
})();
