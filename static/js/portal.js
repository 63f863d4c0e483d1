// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "/static/govuk/govuk-frontend.min.js";
import { initSessionTimeout } from "./session-timeout.js";

// GOV.UK Frontend checks for this class before it starts any component, so it comes first.
document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
initSessionTimeout(document.querySelector('[data-module="app-session-timeout"]'));
