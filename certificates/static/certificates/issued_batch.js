// The print batch page (templates/certificates/issued/batch.html): polls the batch's progress
// until it is done or failed, then shows the status, the count, any error, retry and download.
(function () {
    var root = document.getElementById("batch");
    function poll() {
        fetch(root.dataset.progressUrl, {credentials: "same-origin"})
            .then(function (r) { return r.json(); })
            .then(function (data) {
                document.getElementById("batch-status").textContent = data.status_label;
                document.getElementById("batch-done").textContent = data.done;
                document.getElementById("batch-progress").value = data.percent;
                if (data.error) {
                    var error = document.getElementById("batch-error");
                    error.textContent = data.error; error.hidden = false;
                }
                document.getElementById("batch-retry").hidden = !data.retry;
                if (data.status === "done") {
                    document.getElementById("batch-download").hidden = false;
                } else if (data.status !== "failed") {
                    setTimeout(poll, 1000);
                }
            })
            .catch(function () { setTimeout(poll, 3000); });
    }
    if (root.dataset.status !== "done" && root.dataset.status !== "failed") { poll(); }
})();
