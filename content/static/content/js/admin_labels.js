// Wagtail's tag field (jQuery tag-it) builds its text box in the browser without a label, which
// screen readers announce as an unnamed "edit text". Name each such box after its field's label.
(function () {
  "use strict";

  function fieldLabel(input) {
    // Wagtail's field markup: the label is beside the input's .w-field, inside the wrapper.
    const field = input.closest("[data-field-wrapper], .w-field__wrapper");
    const label = field && field.querySelector("label");
    return label ? label.textContent.replace(/\*/g, "").trim() : "";
  }

  function nameBoxes(root) {
    root.querySelectorAll("input.ui-autocomplete-input:not([aria-label])").forEach((input) => {
      const text = fieldLabel(input);
      if (text) {
        input.setAttribute("aria-label", text);
      }
    });
  }

  function start() {
    nameBoxes(document);
    new MutationObserver(() => nameBoxes(document)).observe(document.body, {
      childList: true,
      subtree: true,
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
