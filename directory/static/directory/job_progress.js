// Live progress of a background job (a certificate batch, a batch of files, the town's compiled
// report): every element marked data-job-progress polls its data-progress-url (the JSON of
// directory.jobs.job_progress) until the job is done or failed, and fills in what it holds:
//   [data-job-status] the status, [data-job-done] the count, [data-job-bar] a <progress>,
//   [data-job-error] the error, [data-job-retry] the retry form, [data-job-download] the link (shown when done),
//   [data-job-running] what shows only while the job runs.
// Loaded with defer, it also waits for the document, and does nothing where nothing is marked.
(function () {
    var FINISHED = {done: true, failed: true};

    function each(root, selector, apply) {
        Array.prototype.forEach.call(root.querySelectorAll(selector), apply);
    }

    function show(root, data) {
        each(root, "[data-job-status]", function (el) { el.textContent = data.status_label; });
        if (data.done !== null && data.done !== undefined) {
            each(root, "[data-job-done]", function (el) { el.textContent = data.done; });
        }
        each(root, "[data-job-bar]", function (el) { el.value = data.percent; el.textContent = data.percent + "%"; });
        each(root, "[data-job-error]", function (el) { el.textContent = data.error || ""; el.hidden = !data.error; });
        each(root, "[data-job-retry]", function (el) { el.hidden = !data.retry; });
        // Shown once done, never hidden again: an earlier file (a report compiled before) stays.
        if (data.status === "done") {
            each(root, "[data-job-download]", function (el) { el.hidden = false; });
        }
        each(root, "[data-job-running]", function (el) { el.hidden = FINISHED[data.status] === true; });
        root.dataset.status = data.status;
    }

    function follow(root) {
        var url = root.dataset.progressUrl;
        if (!url || FINISHED[root.dataset.status]) { return; }
        var seconds = Number(root.dataset.pollSeconds) || 1;
        function poll() {
            fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
                .then(function (response) {
                    if (!response.ok) { throw new Error(response.status); }
                    return response.json();
                })
                .then(function (data) {
                    show(root, data);
                    if (!FINISHED[data.status]) { setTimeout(poll, seconds * 1000); }
                })
                .catch(function () { setTimeout(poll, seconds * 3000); });
        }
        poll();
    }

    function start() {
        each(document, "[data-job-progress]", follow);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
