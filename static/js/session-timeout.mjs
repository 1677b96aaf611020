// The GOV.UK timeout warning. The server decides when a session ends (perfsite/sessions.py);
// this script only warns before it does, lets the person stay signed in, and leaves the page
// once the session has ended, so children's data is not left on an unattended screen.
const dialog = document.getElementById("session-timeout");

if (dialog && typeof dialog.showModal === "function") {
  const countdown = dialog.querySelector(".perfsite-timeout-dialog__countdown");
  const warningMs = Number(dialog.dataset.warningSeconds) * 1000;
  let deadline = 0;
  let warnTimer;
  let endTimer;
  let ticker;

  const inWords = (ms) => {
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    if (seconds > 60) {
      const minutes = Math.ceil(seconds / 60);
      return `${minutes} minutes`;
    }
    return seconds === 60 ? "1 minute" : `${seconds} second${seconds === 1 ? "" : "s"}`;
  };

  // A GET of the same address: the server has ended the session and sends the sign-in page.
  const leave = () => window.location.assign(window.location.href);

  const warn = () => {
    countdown.textContent = inWords(deadline - Date.now());
    if (!dialog.open) dialog.showModal();
    clearInterval(ticker);
    ticker = setInterval(() => {
      countdown.textContent = inWords(deadline - Date.now());
    }, 1000);
  };

  const schedule = (secondsLeft) => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    clearInterval(ticker);
    deadline = Date.now() + secondsLeft * 1000;
    warnTimer = setTimeout(warn, Math.max(0, deadline - warningMs - Date.now()));
    endTimer = setTimeout(leave, Math.max(0, deadline - Date.now()) + 1000);
  };

  const stay = async () => {
    try {
      const response = await fetch(dialog.dataset.keepAliveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": dialog.dataset.csrfToken, Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
      });
      if (!response.ok) {
        leave();
        return;
      }
      const body = await response.json();
      dialog.close();
      schedule(body.seconds_left);
    } catch {
      leave();
    }
  };

  dialog.querySelector('[data-timeout-action="stay"]').addEventListener("click", stay);
  // Escape closes a modal dialog; here it means "stay signed in", as the GOV.UK pattern has it.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });
  schedule(Number(dialog.dataset.secondsLeft));
}
