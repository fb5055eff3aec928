// Search-as-you-type for a large choice filter (directory/choosers.py). The text input of the
// filter gets a listbox of suggestions from its JSON endpoint (data-choice-search) and a hidden
// input carrying the chosen option's id under the field's name; without this script the text
// input itself is submitted and the server looks the name up. ARIA combobox pattern: arrows move,
// Enter chooses, Escape closes; the count of suggestions is announced.
(function () {
  "use strict";
  var counter = 0;

  function setUp(input) {
    if (input.dataset.choiceReady) { return; }
    input.dataset.choiceReady = "1";
    counter += 1;
    var listId = "choice-search-list-" + counter;
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = input.name;
    hidden.value = input.dataset.choiceValue || "";
    input.removeAttribute("name");
    input.insertAdjacentElement("afterend", hidden);
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "choice-search__list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    hidden.insertAdjacentElement("afterend", list);
    var status = document.createElement("div");
    status.className = "choice-search__status w-sr-only";
    status.setAttribute("role", "status");
    list.insertAdjacentElement("afterend", status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    var chosenText = input.value;
    var active = -1;
    var timer = null;
    var asked = 0;

    function options() { return list.querySelectorAll("[role=option]"); }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var all = options();
      if (!all.length) { return; }
      active = (index + all.length) % all.length;
      all.forEach(function (option, i) { option.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function choose(option) {
      var changed = hidden.value !== option.dataset.value;
      hidden.value = option.dataset.value;
      input.value = chosenText = option.dataset.label;
      close();
      if (changed) { hidden.dispatchEvent(new Event("change", { bubbles: true })); }
    }

    function show(results) {
      list.textContent = "";
      results.forEach(function (result, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.value = String(result.id);
        option.dataset.label = result.label;
        option.textContent = result.label;
        if (result.detail) {
          var detail = document.createElement("span");
          detail.className = "choice-search__detail";
          detail.textContent = result.detail;
          option.appendChild(detail);
        }
        option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(option); });
        list.appendChild(option);
      });
      list.hidden = !results.length;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      status.textContent = results.length
        ? input.dataset.choiceFound.replace("%(count)s", results.length)
        : input.dataset.choiceNone;
      active = -1;
    }

    function search() {
      var text = input.value.trim();
      if (!text) { show([]); status.textContent = ""; return; }
      var ticket = ++asked;
      var url = input.dataset.choiceSearch + "?q=" + encodeURIComponent(text);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (ticket === asked) { show(data.results || []); } })
        .catch(function () { /* the text input still works without suggestions */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) { search(); } else { highlight(active + 1); }
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(options()[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    // The field's own change events (no name) must not submit a half-typed search.
    input.addEventListener("change", function (event) { event.stopPropagation(); });
    input.addEventListener("blur", function () {
      close();
      if (!input.value.trim() && hidden.value) {
        hidden.value = "";
        chosenText = "";
        hidden.dispatchEvent(new Event("change", { bubbles: true }));
      } else if (input.value !== chosenText) {
        input.value = chosenText;
      }
    });
  }

  function setUpAll(root) {
    (root || document).querySelectorAll("input[data-choice-search]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUpAll(); });
  } else {
    setUpAll();
  }
  // Wagtail swaps a listing's filters in after a search: set up the new inputs too.
  new MutationObserver(function () { setUpAll(); }).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
})();
