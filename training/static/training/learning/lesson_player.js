/* Lesson player: reports watched time to the server, which decides what is credited.
 * Small and plain (ES5 + fetch) for phones' in-app browsers. A report that fails is not lost:
 * the watched seconds stay pending and go with the next report. */
(function () {
  "use strict";
  var root = document.querySelector("[data-lesson-player]");
  if (!root || !window.fetch) { return; }
  var d = root.dataset;
  var video = root.querySelector("video");
  var bar = root.querySelector("progress");
  var text = root.querySelector("[data-progress-text]");
  var form = root.querySelector("[data-presence-form]");
  var session = Math.random().toString(36).slice(2) + Date.now().toString(36);
  var seq = 0, pending = 0, busy = false, asked = false, lastTime = null;

  function playing() {
    if (video) { return !video.paused && !video.ended; }
    return document.visibilityState === "visible";
  }
  function position() { return video ? video.currentTime : Number(d.credited) + pending; }
  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin", keepalive: true,
      headers: {"Content-Type": "application/json", "X-CSRFToken": d.csrf},
      body: JSON.stringify(body)
    }).then(function (r) { return r.json().then(function (data) { return {ok: r.ok, data: data}; }); });
  }
  function show(data) {
    bar.value = data.credited_seconds;
    d.credited = data.credited_seconds;
    var minutes = Math.floor(data.credited_seconds / 60), total = Math.ceil(data.required_seconds / 60);
    text.textContent = data.completed ? d.doneText
      : d.countText.replace("{done}", minutes).replace("{total}", total);
    if (data.completed) { root.classList.add("done"); }
    if (data.presence_prompt && !asked) {
      asked = true;
      if (video) { video.pause(); }
      form.querySelector("[data-presence-prompt]").textContent = data.presence_prompt;
      form.hidden = false;
      form.querySelector("input").focus();
    }
  }
  function beat() {
    if (busy) { return; }
    busy = true;
    seq += 1;
    var sent = pending;
    post(d.heartbeatUrl, {lesson: Number(d.lesson), position: position(), watched: sent, session: session, seq: seq})
      .then(function (res) {
        busy = false;
        if (!res.ok) { return; }
        pending = Math.max(0, pending - sent);
        show(res.data);
      }, function () { busy = false; });
  }
  if (video) {
    video.addEventListener("loadedmetadata", function () {
      var start = Number(d.position);
      if (start > 0 && start < video.duration - 1) { video.currentTime = start; }
    });
    video.addEventListener("timeupdate", function () {
      var t = video.currentTime;
      if (lastTime !== null && !video.seeking) {
        var delta = t - lastTime;
        if (delta > 0 && delta < 2) { pending += delta; }
      }
      lastTime = t;
    });
    video.addEventListener("seeking", function () { lastTime = null; });
    video.addEventListener("play", beat);
    video.addEventListener("pause", beat);
    video.addEventListener("ended", beat);
  } else {
    setInterval(function () { if (playing() && !asked) { pending += 1; } }, 1000);
    beat();
  }
  setInterval(function () { if (playing() || pending > 0) { beat(); } }, Number(d.interval) * 1000);
  document.addEventListener("visibilitychange", function () { if (pending > 0) { beat(); } });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var input = form.querySelector("input");
    post(d.presenceUrl, {answer: input.value}).then(function (res) {
      if (res.ok) {
        asked = false; form.hidden = true; input.value = "";
        form.querySelector("[data-presence-error]").textContent = "";
        if (video) { video.play(); }
      } else {
        form.querySelector("[data-presence-error]").textContent = res.data.error || "";
      }
    });
  });
}());
