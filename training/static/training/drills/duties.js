// The duties a drill record meets (phone entry and back office): as the scenario and plan type
// change, the duties the drill's kind implies are ticked and locked, those it cannot meet are
// unticked and disabled. Which is which comes from the server (data-implied-by, data-allowed-by
// on each checkbox, written from training.drills.rules), so no rule is repeated here. A locked
// box is not posted; the server adds the implied duties itself.
(function () {
  "use strict";
  function listed(box, name, kind) {
    return (box.getAttribute(name) || "").split(" ").indexOf(kind) !== -1;
  }
  function wire(form) {
    var boxes = form.querySelectorAll("input[data-drill-duty]");
    var scenario = form.elements.scenario;
    var planType = form.elements.plan_type;
    if (!boxes.length || !scenario || !planType) { return; }
    // What the user ticked; a box the first kind implies counts as not chosen.
    var claimed = {};
    var first = scenario.value + ":" + planType.value;
    Array.prototype.forEach.call(boxes, function (box) {
      claimed[box.value] = box.checked && !listed(box, "data-implied-by", first);
      box.addEventListener("change", function () { claimed[box.value] = box.checked; });
    });
    function apply() {
      var kind = scenario.value + ":" + planType.value;
      Array.prototype.forEach.call(boxes, function (box) {
        var implied = listed(box, "data-implied-by", kind);
        var allowed = listed(box, "data-allowed-by", kind);
        box.disabled = implied || !allowed;
        box.checked = implied || (allowed && claimed[box.value]);
        box.closest("label, li, div").classList.toggle("duty-locked", box.disabled);
      });
    }
    scenario.addEventListener("change", apply);
    planType.addEventListener("change", apply);
    apply();
  }
  function start() { Array.prototype.forEach.call(document.querySelectorAll("form"), wire); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
