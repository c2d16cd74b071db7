/* Small progressive enhancements shared by every page. Pages work without them. */
(function () {
  "use strict";

  // Live countdowns: <span class="countdown" data-due="ISO" data-warn="ISO"> ticks every 30 s and
  // switches its state class (state-ok / state-warn / state-overdue). The server renders the
  // first value, so nothing depends on this script.
  function words(seconds) {
    var zh = document.documentElement.lang !== "en";
    var late = seconds < 0;
    seconds = Math.abs(seconds);
    var d = Math.floor(seconds / 86400), h = Math.floor((seconds % 86400) / 3600), m = Math.floor((seconds % 3600) / 60);
    var text;
    if (zh) {
      text = d ? d + "天" + h + "小时" : h ? h + "小时" + m + "分" : m + "分钟";
      return (late ? "超时 " : "剩余 ") + text;
    }
    text = d ? d + "d " + h + "h" : h ? h + "h " + m + "m" : m + " min";
    return late ? text + " overdue" : text + " left";
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll(".countdown[data-due]").forEach(function (el) {
      var due = Date.parse(el.dataset.due);
      var warn = el.dataset.warn ? Date.parse(el.dataset.warn) : null;
      if (isNaN(due)) return;
      var state = now >= due ? "overdue" : warn !== null && now >= warn ? "warn" : "ok";
      if (el.dataset.warned === "1" && state === "ok") state = "warn";
      el.textContent = words(Math.round((due - now) / 1000));
      el.classList.remove("state-ok", "state-warn", "state-overdue");
      el.classList.add("state-" + state);
      var row = el.closest("[data-countdown-row]");
      if (row) {
        row.classList.toggle("row-overdue", state === "overdue");
        row.classList.toggle("row-warn", state === "warn");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSettle", tick);
  setInterval(tick, 30000);

  // Formsets: <button data-formset-add="prefix"> clones <template id="prefix-template">, replacing
  // __prefix__ with the next index, and bumps prefix-TOTAL_FORMS.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add]");
    if (!button) return;
    event.preventDefault();
    var prefix = button.dataset.formsetAdd;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-template");
    var target = document.getElementById(prefix + "-rows");
    if (!total || !template || !target) return;
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
    target.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = target.lastElementChild;
    if (window.htmx) window.htmx.process(added);
    var first = added.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  });

  // <button data-formset-remove> inside a row added by data-formset-add removes that row (its
  // index stays unused: an empty extra form is ignored by the formset).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-remove]");
    if (!button) return;
    event.preventDefault();
    var row = button.closest("[data-party-row], [data-formset-row]");
    if (row) row.remove();
  });

  // A person check (registration desk) that recognised a returning visitor fills the row's empty
  // name field: <span data-fill-field="name" data-fill-value="…"> in the swapped fragment.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.querySelectorAll) return;
    target.querySelectorAll("[data-fill-field]").forEach(function (hint) {
      var row = hint.closest("[data-party-row]");
      if (!row) return;
      var input = row.querySelector("input[name$='-" + hint.dataset.fillField + "']");
      if (input && !input.value) {
        input.value = hint.dataset.fillValue;
        input.classList.add("is-new");
      }
    });
  });

  // <button data-print> prints the page.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });

  // After a form comes back with errors, focus the first invalid field.
  function focusFirstError(root) {
    var invalid = (root || document).querySelector("[aria-invalid=true]");
    if (invalid) invalid.focus();
  }
  document.addEventListener("DOMContentLoaded", function () { focusFirstError(document); });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.querySelector) focusFirstError(event.detail.target);
  });
})();
