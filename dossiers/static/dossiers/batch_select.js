// The batch request (templates/dossiers/batch/new.html): "all the enterprise's people" ticks or
// clears every person; clearing one person clears "all", ticking the last one ticks it again.
(function () {
    function start() {
        var form = document.querySelector("[data-batch-select]");
        if (!form) { return; }
        var all = form.querySelector("[data-select-all]");
        var ones = form.querySelectorAll("[data-select-one]");
        if (!all) { return; }
        all.addEventListener("change", function () {
            Array.prototype.forEach.call(ones, function (box) { box.checked = all.checked; });
        });
        Array.prototype.forEach.call(ones, function (box) {
            box.addEventListener("change", function () {
                all.checked = Array.prototype.every.call(ones, function (b) { return b.checked; });
            });
        });
    }
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
