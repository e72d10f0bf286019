/* Forms in Vietnamese, whatever the browser's language (loaded by base.html; no inline code, the
   Content-Security-Policy forbids it).
   - Date and time boxes (units/widgets.py DateInput, TimeInput): the slashes of dd/mm/yyyy and
     the colon of hh:mm are added as the digits are typed; the server reads and checks them.
   - File boxes (templates/widgets/file_input.html): the chosen files' names are shown next to
     the "Chọn tệp…" button, instead of the browser's English "No file chosen".
   - The browser's own checks (a required box left empty, a text too long…) speak Vietnamese:
     the messages are the data-* attributes of this script's tag, translated on the server.
   - Long lists (a select with data-searchable, e.g. the body answering for a recommendation) get
     a search box above them: typing "binh an" keeps "UBND xã Bình An …", diacritics ignored.
   - The communes of a district (a form with data-quota): once as many boxes are ticked as the
     plan's rule allows, the other boxes are disabled and the form says why.
   - A form with data-confirm (removing a section of the plan, a target) asks first, naming what
     goes with it. */
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

  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  Array.prototype.forEach.call(document.querySelectorAll("select[data-searchable]"), function (list) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = list.dataset.searchable;
    box.setAttribute("aria-label", list.dataset.searchable);
    list.parentNode.insertBefore(box, list);
    box.addEventListener("input", function () {
      var wanted = plain(box.value.trim());
      Array.prototype.forEach.call(list.options, function (option) {
        option.hidden = wanted !== "" && option.value !== "" &&
          plain(option.textContent).indexOf(wanted) === -1;
      });
    });
  });

  function applyQuota(form) {
    var quota = parseInt(form.dataset.quota, 10);
    var boxes = form.querySelectorAll("input[type=checkbox][name=agencies]");
    var ticked = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
    var full = ticked >= quota;
    Array.prototype.forEach.call(boxes, function (b) { b.disabled = full && !b.checked; });
    var note = form.querySelector("[data-quota-message]");
    if (!note) return;
    if (!note.dataset.open) note.dataset.open = note.textContent.trim();
    note.textContent = full ? note.dataset.full : note.dataset.open;
    note.classList.toggle("text-danger", full);
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-quota]"), function (form) {
    applyQuota(form);
    form.addEventListener("change", function () { applyQuota(form); });
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
