// Polls a large upload's check while a worker reads it, showing the rows read so far, and shows
// the preview (or the problems) once the check is done. Without JavaScript the "Check progress"
// link does the same by reloading.
const container = document.getElementById("import-checking");

if (container) {
  const text = document.getElementById("import-checking-text");

  const poll = async () => {
    let status;
    try {
      const response = await fetch(container.dataset.progressUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      status = await response.json();
    } catch {
      window.setTimeout(poll, 5000);
      return;
    }
    if (status.state !== "checking" || status.not_queued) {
      window.location.assign(container.dataset.previewUrl);
      return;
    }
    if (status.rows_read) {
      const rows = status.rows_read.toLocaleString("en-GB");
      text.textContent = `${rows} row${status.rows_read === 1 ? "" : "s"} read so far.`;
    }
    window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 1500);
}
