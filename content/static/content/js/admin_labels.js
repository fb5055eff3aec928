// Wagtail's tag field (jQuery tag-it) builds its text box in the browser without a label, which
// screen readers announce as an unnamed "edit text"; so does the rich text editor (Draftail's
// role="textbox", wagtail/wagtail#14205). Name each such box after its field's label.
(function () {
  "use strict";

  function fieldLabel(input) {
    // Wagtail's field markup: the label is beside the input's .w-field, inside the wrapper; a
    // field alone in its panel has it in the panel's heading, a <label for> the field's input.
    const field = input.closest("[data-field-wrapper], .w-field__wrapper");
    let label = field && field.querySelector("label");
    if (!label && field) {
      const source = field.querySelector("input[id], textarea[id]");
      label = source && document.querySelector(`label[for="${CSS.escape(source.id)}"]`);
    }
    return label ? label.textContent.replace(/\*/g, "").trim() : "";
  }

  function named(box) {
    // An aria-labelledby that points at an element with text already names the box.
    const ids = (box.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
    return ids.some((id) => {
      const element = document.getElementById(id);
      return element && element.textContent.trim();
    });
  }

  function nameBoxes(root) {
    root
      .querySelectorAll("input.ui-autocomplete-input:not([aria-label]), [role=textbox]:not([aria-label])")
      .forEach((box) => {
        if (named(box)) {
          return;
        }
        const text = fieldLabel(box);
        if (text) {
          box.setAttribute("aria-label", text);
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
