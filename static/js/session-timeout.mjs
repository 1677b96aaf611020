// The GOV.UK timeout warning. The server decides when a session ends (perfsite/sessions.py);
// this script only warns before it does, lets the person stay signed in, and leaves the page
// once the session has ended, so children's data is not left on an unattended screen.
// Before warning and before leaving it asks the server for the time left, since another tab
// may have kept the session alive meanwhile.
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
    if (seconds > 60) return `${Math.ceil(seconds / 60)} minutes`;
    return seconds === 60 ? "1 minute" : `${seconds} second${seconds === 1 ? "" : "s"}`;
  };

  // A GET of the same address: the server has ended the session and sends the sign-in page.
  const leave = () => window.location.assign(window.location.href);

  // Seconds left, or null when the session has ended (the server then redirects to sign in).
  const ask = async (url, method) => {
    try {
      const response = await fetch(url, {
        method,
        headers: { "X-CSRFToken": dialog.dataset.csrfToken, Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
      });
      if (!response.ok) return null;
      return (await response.json()).seconds_left;
    } catch {
      return null;
    }
  };

  const showWarning = () => {
    countdown.textContent = inWords(deadline - Date.now());
    if (!dialog.open) dialog.showModal();
    clearInterval(ticker);
    ticker = setInterval(() => {
      countdown.textContent = inWords(deadline - Date.now());
    }, 1000);
  };

  let schedule;

  const check = async (due) => {
    const secondsLeft = await ask(dialog.dataset.statusUrl, "GET");
    if (secondsLeft === null || secondsLeft <= 0) {
      leave();
    } else if (secondsLeft * 1000 > warningMs + 1000) {
      // Used in another tab: not due yet after all.
      if (dialog.open) dialog.close();
      schedule(secondsLeft);
    } else {
      deadline = Date.now() + secondsLeft * 1000;
      if (due === "end") endTimer = setTimeout(() => check("end"), secondsLeft * 1000 + 1000);
      showWarning();
    }
  };

  schedule = (secondsLeft) => {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    clearInterval(ticker);
    deadline = Date.now() + secondsLeft * 1000;
    warnTimer = setTimeout(() => check("warn"), Math.max(0, deadline - warningMs - Date.now()));
    endTimer = setTimeout(() => check("end"), Math.max(0, deadline - Date.now()) + 1000);
  };

  const stay = async () => {
    const secondsLeft = await ask(dialog.dataset.keepAliveUrl, "POST");
    if (secondsLeft === null) {
      leave();
      return;
    }
    dialog.close();
    schedule(secondsLeft);
  };

  dialog.querySelector('[data-timeout-action="stay"]').addEventListener("click", stay);
  // Escape closes a modal dialog; here it means "stay signed in", as the GOV.UK pattern has it.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });
  schedule(Number(dialog.dataset.secondsLeft));
}
