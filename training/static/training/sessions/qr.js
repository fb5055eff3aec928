// The organiser's QR screen: fetch a fresh code every slot so photographed codes soon stop working.
(function () {
  "use strict";
  var box = document.querySelector("[data-qr-feed]");
  if (!box) { return; }
  var feed = box.getAttribute("data-qr-feed");
  var seconds = parseInt(box.getAttribute("data-qr-refresh"), 10) || 30;
  var slot = box.getAttribute("data-qr-slot");
  function refresh() {
    fetch(feed, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || String(data.slot) === slot) { return; }
        slot = String(data.slot);
        box.innerHTML = data.svg;
        box.setAttribute("data-qr-slot", slot);
      })
      .catch(function () { /* the next poll tries again */ });
  }
  // Poll a few times per slot so the code changes within seconds of a new slot.
  window.setInterval(refresh, Math.max(1000, seconds * 1000 / 6));
})();
