// Polls the pack's status while it is being built, so the page shows progress and the downloads
// appear when ready. Without JavaScript the "Check progress" link does the same by reloading.
const container = document.getElementById("pack-status");

if (container && ["queued", "building"].includes(container.dataset.status)) {
  const url = container.dataset.statusUrl;
  const text = document.getElementById("pack-status-text");
  const progress = document.getElementById("pack-progress");
  const downloads = document.getElementById("pack-downloads");

  const poll = async () => {
    let status;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      status = await response.json();
    } catch {
      window.setTimeout(poll, 5000);
      return;
    }
    if (progress) {
      progress.value = status.progress;
      progress.textContent = `${status.progress}%`;
    }
    if (status.status === "ready") {
      text.textContent = "The pack is ready.";
      document.getElementById("pack-pdf").href = status.pdf;
      document.getElementById("pack-xlsx").href = status.xlsx;
      downloads.hidden = false;
      progress?.parentElement?.querySelector("label[for=pack-progress]")?.remove();
      progress?.remove();
      document.getElementById("pack-refresh")?.parentElement?.remove();
      return;
    }
    if (status.status === "failed" || status.status === "stopped") {
      window.location.reload();
      return;
    }
    text.textContent = `${status.label}: ${status.step || "waiting for a worker"} (${status.progress}% done).`;
    window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 1500);
}
