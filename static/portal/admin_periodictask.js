// django-celery-beat's periodic-task admin form: show what the chosen crontab means under the field.
// The package's template does this in an inline script, which the Content-Security-Policy blocks; this is the
// same behaviour from a static file (templates/admin/djcelery/change_periodictask_form.html).
(function () {
  "use strict";
  var $ = window.django && window.django.jQuery;
  if (!$) { return; }
  var data = document.getElementById("readable-crontabs");
  var readableCrontabs = data ? JSON.parse(data.textContent) : {};
  var help = $(".field-crontab .help");
  var originalCrontabHelp = help.html() || "";
  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    var translation = readableCrontabs[$("#id_crontab").val()];
    var text = document.createElement("span");
    text.textContent = translation === undefined ? "" : "Translation: " + translation;
    help.html(originalCrontabHelp).append(document.createElement("br")).append(text);
  });
}());
