// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "/static/govuk/govuk-frontend.min.js";
import { initSessionTimeout } from "./session-timeout.js";

initAll();
document.body.classList.add("govuk-frontend-supported");
initSessionTimeout(document.querySelector('[data-module="app-session-timeout"]'));
