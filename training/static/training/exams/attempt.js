/* Exam attempt: each answer is saved as it is given; the server holds the answers and the time.
 * Plain ES5 + fetch for phones' in-app browsers. An answer whose save fails stays pending and
 * is sent again (every few seconds and before submitting); the form also carries the answers,
 * so submitting without scripts or after a lost connection loses nothing. */
(function () {
  "use strict";
  var root = document.querySelector("[data-exam-attempt]");
  if (!root) { return; }
  var d = root.dataset;
  var form = root.querySelector("[data-submit-form]");
  var questions = Array.prototype.slice.call(root.querySelectorAll("[data-question]"));
  var sheet = root.querySelector("[data-answer-sheet]");
  var status = root.querySelector("[data-save-status]");
  var clock = root.querySelector("[data-countdown]");
  var pending = {}, busy = false, current = 0, submitting = false;
  var deadline = Date.now() + Number(d.remaining) * 1000;

  function choiceOf(fieldset) {
    var letters = "";
    Array.prototype.forEach.call(fieldset.querySelectorAll("input[name]"), function (input) {
      if (input.checked) { letters += input.value; }
    });
    return letters;
  }
  function markedOf(fieldset) { return fieldset.querySelector("[data-mark]").checked; }
  function button(position) { return sheet.querySelector('[data-goto="' + position + '"]'); }
  function paint(fieldset) {
    var b = button(fieldset.dataset.position);
    b.classList.toggle("answered", choiceOf(fieldset) !== "");
    b.classList.toggle("marked", markedOf(fieldset));
  }
  function feedback(fieldset, data) {
    var p = fieldset.querySelector("[data-feedback]");
    if (!data) { p.hidden = true; return; }
    p.hidden = false;
    p.className = "feedback " + (data.correct ? "right" : "wrong");
    p.textContent = (data.correct ? d.textRight : d.textWrong.replace("{right}", data.right)) +
      (data.explanation ? " " + data.explanation : "");
  }
  function send() {
    var keys = Object.keys(pending);
    if (busy || !keys.length || !window.fetch) { return; }
    busy = true;
    var position = keys[0], body = pending[position];
    status.textContent = d.textSaving;
    fetch(d.answerUrl, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": d.csrf},
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (data) { return {status: r.status, data: data}; });
    }).then(function (res) {
      busy = false;
      if (res.status === 409) { status.textContent = d.textClosed; submit(); return; }
      if (pending[position] === body) { delete pending[position]; }
      if (res.status === 200) {
        deadline = Date.now() + res.data.remaining * 1000;
        feedback(questions[Number(position)], res.data.feedback);
      }
      status.textContent = Object.keys(pending).length ? d.textOffline : d.textSaved;
      send();
    }, function () {
      busy = false;
      status.textContent = d.textOffline;
    });
  }
  function queue(fieldset) {
    pending[fieldset.dataset.position] = {
      position: Number(fieldset.dataset.position), choice: choiceOf(fieldset), marked: markedOf(fieldset)
    };
    paint(fieldset);
    send();
  }
  function show(index) {
    if (d.layout !== "one") {
      questions[index].scrollIntoView();
      return;
    }
    current = Math.max(0, Math.min(questions.length - 1, index));
    questions.forEach(function (q, i) { q.classList.toggle("hidden", i !== current); });
    Array.prototype.forEach.call(sheet.querySelectorAll("button"), function (b, i) {
      b.classList.toggle("current", i === current);
    });
  }
  function submit() {
    if (submitting) { return; }
    submitting = true;
    form.submit();
  }
  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    clock.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    clock.classList.toggle("low", left < 300);
    if (left === 0) { status.textContent = d.textClosed; submit(); }
  }

  questions.forEach(function (fieldset) {
    fieldset.addEventListener("change", function () { queue(fieldset); });
  });
  sheet.addEventListener("click", function (event) {
    var target = event.target.closest("[data-goto]");
    if (target) { show(Number(target.dataset.goto)); }
  });
  if (d.layout === "one") {
    root.querySelector("[data-pager]").hidden = false;
    root.querySelector("[data-prev]").addEventListener("click", function () { show(current - 1); });
    root.querySelector("[data-next]").addEventListener("click", function () { show(current + 1); });
    show(0);
  }
  form.addEventListener("submit", function (event) {
    if (submitting) { return; }
    var unanswered = questions.filter(function (q) { return choiceOf(q) === ""; }).length;
    if (!window.confirm(d.textConfirm.replace("{n}", unanswered))) { event.preventDefault(); return; }
    submitting = true;
  });
  setInterval(tick, 1000);
  setInterval(send, 5000);
  tick();
}());
