// The phone entry of a drill: live duration and participation rate, the signature pad.
(function () {
  "use strict";
  var form = document.getElementById("drill-form");
  function seconds(value) {
    var parts = (value || "").split(":").map(Number);
    if (parts.length < 2 || parts.some(isNaN)) { return null; }
    return parts[0] * 3600 + parts[1] * 60 + (parts[2] || 0);
  }
  function figures() {
    var duration = document.getElementById("duration");
    var start = seconds(form.elements.alarm_time.value);
    var end = seconds(form.elements.all_clear_time.value);
    duration.textContent = (start !== null && end !== null && end > start)
      ? duration.dataset.label + "：" + Math.floor((end - start) / 60) + duration.dataset.minutes + ((end - start) % 60) + duration.dataset.seconds
      : "";
    var rate = document.getElementById("rate");
    var onSite = parseInt(form.elements.headcount.value, 10);
    var out = parseInt(form.elements.evacuated.value, 10);
    rate.textContent = (onSite > 0 && out >= 0) ? rate.dataset.label + "：" + Math.round(out * 100 / onSite) + "%" : "";
  }
  form.addEventListener("input", figures);
  figures();

  // The signature pad: pointer events cover finger, pen and mouse; the PNG goes in a hidden field.
  var canvas = document.getElementById("signature-pad");
  var output = form.elements.signature;
  var context = canvas.getContext("2d");
  var drawing = false;
  var inked = false;
  function resize() {
    var ratio = window.devicePixelRatio || 1;
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.lineWidth = 2.5;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#000";
    output.value = "";
    inked = false;
  }
  function point(event) {
    var box = canvas.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }
  canvas.addEventListener("pointerdown", function (event) {
    drawing = true;
    canvas.setPointerCapture(event.pointerId);
    var p = point(event);
    context.beginPath();
    context.moveTo(p.x, p.y);
    context.lineTo(p.x + 0.1, p.y + 0.1);
    context.stroke();
    inked = true;
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drawing) { return; }
    var p = point(event);
    context.lineTo(p.x, p.y);
    context.stroke();
  });
  function finish() {
    if (!drawing) { return; }
    drawing = false;
    if (inked) { output.value = canvas.toDataURL("image/png"); }
  }
  canvas.addEventListener("pointerup", finish);
  canvas.addEventListener("pointercancel", finish);
  document.getElementById("signature-clear").addEventListener("click", function () {
    context.clearRect(0, 0, canvas.width, canvas.height);
    output.value = "";
    inked = false;
  });
  // After a refused save the drawn signature comes back from the server: show it again.
  var kept = output.value;
  resize();
  if (kept.indexOf("data:image/png;base64,") === 0) {
    var image = new Image();
    image.onload = function () {
      context.drawImage(image, 0, 0, canvas.offsetWidth, canvas.offsetHeight);
      output.value = kept;
      inked = true;
    };
    image.src = kept;
  }
})();
