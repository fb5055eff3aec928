// An import that is still being processed (templates/directory/imports/job.html): the page
// reloads itself every data-seconds until the job has finished.
(function () {
  var script = document.currentScript;
  var seconds = (script && Number(script.dataset.seconds)) || 2;
  setTimeout(function () { window.location.reload(); }, seconds * 1000);
})();
