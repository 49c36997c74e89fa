// Tell the server the browser's time zone, so that visitors who are not signed in see times in
// their own zone; written again when it changes (a laptop that travelled). The value is
// URL-encoded (Asia%2FTashkent), which mirpal/middleware.py decodes.
(function () {
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone) return;
    var cookie = "mirpal_tz=" + encodeURIComponent(zone);
    if (document.cookie.split("; ").indexOf(cookie) === -1) {
      document.cookie = cookie + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (e) { /* an old browser keeps the default zone */ }
})();
