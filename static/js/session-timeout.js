// Warns before a signed-in session ends and lets the person stay signed in (WCAG 2.2.1).
// Without JavaScript the session simply ends on the server; nothing here is needed for that.

const SECOND = 1000;
// Keep asking the server a little after the real end, so its clock decides.
const GRACE_SECONDS = 2;

function describe(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

export function initSessionTimeout(dialog) {
  if (!dialog || typeof dialog.showModal !== "function") return;
  const statusUrl = dialog.dataset.statusUrl;
  const warningSeconds = Number(dialog.dataset.warningSeconds);
  const remaining = dialog.querySelector("[data-session-timeout-remaining]");
  const extendForm = dialog.querySelector("[data-session-timeout-extend]");
  let endsAt = Date.now() + Number(dialog.dataset.expiresIn) * SECOND;
  let warnTimer;
  let tick;
  let returnFocusTo;

  const secondsLeft = () => Math.max(0, Math.round((endsAt - Date.now()) / SECOND));

  function close() {
    clearInterval(tick);
    if (dialog.open) dialog.close();
    dialog.hidden = true;
    if (returnFocusTo) returnFocusTo.focus();
  }

  function ended() {
    // The server has ended the session: loading the page again shows the sign-in page
    // with a message saying why.
    window.location.assign(window.location.href);
  }

  function open() {
    returnFocusTo = document.activeElement;
    remaining.textContent = describe(secondsLeft());
    dialog.hidden = false;
    dialog.showModal();
    // Updated quietly: screen readers heard the whole message when the dialog opened.
    tick = setInterval(() => {
      const left = secondsLeft();
      remaining.textContent = describe(left);
      if (left <= 0) {
        clearInterval(tick);
        setTimeout(ended, GRACE_SECONDS * SECOND);
      }
    }, SECOND);
  }

  function schedule(expiresIn) {
    endsAt = Date.now() + expiresIn * SECOND;
    clearTimeout(warnTimer);
    warnTimer = setTimeout(check, Math.max(0, expiresIn - warningSeconds) * SECOND);
  }

  async function ask(options) {
    const response = await fetch(statusUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      ...options,
    });
    if (!response.ok || response.redirected) throw new Error("session ended");
    return response.json();
  }

  async function check() {
    // Another tab may have kept the session alive: ask before warning. Asking is not
    // activity, so it cannot keep an abandoned session going.
    try {
      const status = await ask({ method: "GET" });
      if (status.expires_in > warningSeconds) {
        schedule(status.expires_in);
        return;
      }
      endsAt = Date.now() + status.expires_in * SECOND;
      if (!status.can_extend && extendForm) extendForm.hidden = true;
      open();
    } catch {
      ended();
    }
  }

  if (extendForm) {
    extendForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const status = await ask({ method: "POST", body: new FormData(extendForm) });
        close();
        schedule(status.expires_in);
      } catch {
        ended();
      }
    });
  }
  // Escape closes the dialog without extending; the warning comes back at the next check.
  dialog.addEventListener("cancel", () => {
    clearInterval(tick);
    dialog.hidden = true;
    warnTimer = setTimeout(check, Math.max(1, secondsLeft() - 1) * SECOND);
  });

  schedule(Number(dialog.dataset.expiresIn));
}
