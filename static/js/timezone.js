// Tell the server the browser's time zone once, so that anonymous visitors see times in their own zone.
(function () {
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("mirpal_tz=") === -1) {
      document.cookie = "mirpal_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (e) { /* an old browser keeps the default zone */ }
})();
