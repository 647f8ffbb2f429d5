/* Journeyscope hosted pages: saves a score clicked in an invitation email.
 *
 * The link (/i/{token}?nps=9) only opens the page with the score selected: a GET never saves,
 * because mail scanners open every link of a message. A person's browser runs this script,
 * which posts the page's form at once as a partial save (_action=save); the server answers
 * with a redirect to the same page without the score in the address, so a reload does not
 * post again. Without script, the page's "Save my answer" button does the same; with script
 * it is removed, since the score is being saved already.
 */
(() => {
  "use strict";

  const form = document.querySelector("form[data-autosave]");
  if (!form) return;
  const notice = form.querySelector(".autosave");
  if (notice) notice.remove();
  const action = document.createElement("input");
  action.type = "hidden";
  action.name = "_action";
  action.value = "save";
  form.append(action);
  form.submit();
})();
