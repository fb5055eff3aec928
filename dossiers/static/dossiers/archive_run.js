// The archiving page (templates/dossiers/archive/run.html): polls the run's progress until it
// is done or failed, then shows the status, the counts, any error and the retry button.
(function () {
    var root = document.getElementById("archive-run");
    function show(id, value) { document.getElementById(id).textContent = value; }
    function poll() {
        fetch(root.dataset.progressUrl, {credentials: "same-origin"})
            .then(function (r) { return r.json(); })
            .then(function (data) {
                show("run-status", data.status_label);
                show("run-done", data.done);
                show("run-total", data.total);
                show("run-written", data.written);
                document.getElementById("run-progress").value = data.percent;
                var error = document.getElementById("run-error");
                error.textContent = data.error; error.hidden = !data.error;
                document.getElementById("run-retry").hidden = !data.retry;
                if (data.status !== "done" && data.status !== "failed") { setTimeout(poll, 2000); }
            })
            .catch(function () { setTimeout(poll, 5000); });
    }
    if (root.dataset.status !== "done" && root.dataset.status !== "failed") { poll(); }
})();
