namespace Tessera.Server.Operations.Admin;

/// <summary>
/// The admin page's shell: it holds no data, so it is served without the token. A browser cannot send a bearer header
/// when it navigates, so the page's script asks for the token, keeps it in <c>sessionStorage</c> (gone with the tab) and
/// sends it with each <c>fetch</c> of <c>admin/status</c> and each purge. Every value is written as text, never as
/// markup: identifiers are whatever clients asked for.
/// </summary>
public static class AdminPage
{
    public const string Html = """
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Tessera admin</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
  h1 { font-size: 1.4em; margin: 0 0 .5em; } h2 { font-size: 1.1em; margin: 1.4em 0 .4em; }
  table { border-collapse: collapse; margin-bottom: .5em; } th, td { border: 1px solid #ccc; padding: .2em .6em; text-align: left; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; } th { background: #f3f3f3; }
  .error { color: #b00020; } .ok { color: #1b6e20; } [hidden] { display: none !important; }
  form { margin: .5em 0; } input[type=text], input[type=password] { width: 24em; }
  .grid { display: flex; flex-wrap: wrap; gap: 2em; }
</style>
</head>
<body>
<h1>Tessera admin</h1>
<section id="login">
  <form id="login-form">
    <label>Admin token <input id="token" type="password" autocomplete="current-password" required></label>
    <button type="submit">Show status</button>
  </form>
  <p id="login-message" class="error" role="alert"></p>
</section>
<section id="data" hidden>
  <p><span id="version"></span> · started <span id="started"></span> · <span id="ready"></span>
     · <button id="refresh" type="button">Refresh</button> <button id="logout" type="button">Forget token</button></p>
  <div class="grid">
    <div>
      <h2>Caches</h2>
      <table id="caches"><thead><tr><th>tier</th><th>entries</th><th>bytes</th><th>capacity</th><th>hits</th><th>misses</th><th>hit rate</th><th>evictions</th></tr></thead><tbody></tbody></table>
      <h2>Renders and held files</h2>
      <table id="renders"><tbody></tbody></table>
    </div>
    <div>
      <h2>Purge</h2>
      <form id="purge-form">
        <label><input type="radio" name="kind" value="identifier" checked> identifier</label>
        <label><input type="radio" name="kind" value="prefix"> every identifier starting with</label><br>
        <input id="purge-value" type="text" required placeholder="folder/image.tif">
        <button type="submit">Purge</button>
      </form>
      <p id="purge-result" role="status"></p>
    </div>
  </div>
  <h2>Slowest identifiers (last <span class="window"></span> min)</h2>
  <table id="slowest"><thead><tr><th>identifier</th><th>slowest ms</th><th>mean ms</th><th>requests</th><th>last status</th></tr></thead><tbody></tbody></table>
  <h2>Failing identifiers (last <span class="window"></span> min)</h2>
  <table id="failing"><thead><tr><th>identifier</th><th>failures</th><th>requests</th><th>last failure</th></tr></thead><tbody></tbody></table>
  <h2>Settings in force</h2>
  <table id="settings"><tbody></tbody></table>
</section>
<script>
"use strict";
const key = "tessera-admin-token";
const $ = id => document.getElementById(id);

function cell(row, value, numeric) {
  const td = row.insertCell();
  td.textContent = value === null || value === undefined ? "" : String(value);
  if (numeric) td.className = "n";
  return td;
}

function fill(table, rows, make) {
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const item of rows) make(body.insertRow(), item);
}

async function call(method, url) {
  const token = sessionStorage.getItem(key);
  const response = await fetch(url, { method, headers: { Authorization: "Bearer " + token }, cache: "no-store" });
  if (response.status === 401) {
    sessionStorage.removeItem(key);
    show(false, "The token was refused.");
    throw new Error("unauthorized");
  }
  return response;
}

function show(loggedIn, message) {
  $("data").hidden = !loggedIn;
  $("login").hidden = loggedIn;
  $("login-message").textContent = message || "";
  if (!loggedIn) {
    for (const id of ["caches", "slowest", "failing", "settings", "renders"]) $(id).tBodies[0].replaceChildren();
  }
}

async function load() {
  if (!sessionStorage.getItem(key)) { show(false); return; }
  let status;
  try {
    const response = await call("GET", "admin/status");
    if (!response.ok) { show(false, "admin/status answered " + response.status); return; }
    status = await response.json();
  } catch (e) {
    if (e.message !== "unauthorized") show(false, "admin/status failed: " + e.message);
    return;
  }
  $("version").textContent = "Tessera " + status.version;
  $("started").textContent = status.started;
  $("ready").textContent = status.ready ? "ready" : "NOT READY: " + status.readiness;
  $("ready").className = status.ready ? "ok" : "error";
  for (const span of document.querySelectorAll(".window")) span.textContent = status.window.minutes;
  fill($("caches"), status.caches, (row, c) => {
    row.dataset.tier = c.tier;
    cell(row, c.tier);
    for (const [name, value] of [["entries", c.entries], ["bytes", c.bytes], ["capacity", c.capacityBytes], ["hits", c.hits], ["misses", c.misses],
      ["hit-rate", c.hitRate === null ? "" : (c.hitRate * 100).toFixed(1) + " %"], ["evictions", c.evictions]]) {
      cell(row, value, true).dataset.field = name;
    }
  });
  const renders = Object.entries(status.renders).concat(Object.entries(status.held));
  fill($("renders"), renders, (row, [name, value]) => { row.dataset.field = name; cell(row, name); cell(row, value, true); });
  fill($("slowest"), status.window.slowest, (row, a) => {
    row.dataset.identifier = a.identifier;
    cell(row, a.identifier); cell(row, a.maxMilliseconds, true); cell(row, a.meanMilliseconds, true);
    cell(row, a.requests, true).dataset.field = "requests"; cell(row, a.lastStatus, true);
  });
  fill($("failing"), status.window.failing, (row, a) => {
    row.dataset.identifier = a.identifier;
    cell(row, a.identifier); cell(row, a.failures, true).dataset.field = "failures";
    cell(row, a.requests, true).dataset.field = "requests"; cell(row, a.lastFailureStatus, true).dataset.field = "status";
  });
  fill($("settings"), Object.entries(status.settings), (row, [name, value]) => {
    row.dataset.setting = name; cell(row, name); cell(row, Array.isArray(value) ? value.join(", ") : value);
  });
  show(true);
}

$("login-form").addEventListener("submit", event => {
  event.preventDefault();
  sessionStorage.setItem(key, $("token").value);
  $("token").value = "";
  load();
});
$("refresh").addEventListener("click", load);
$("logout").addEventListener("click", () => { sessionStorage.removeItem(key); show(false); });
$("purge-form").addEventListener("submit", async event => {
  event.preventDefault();
  const value = $("purge-value").value;
  const byPrefix = document.querySelector("input[name=kind]:checked").value === "prefix";
  const url = byPrefix ? "admin/cache?prefix=" + encodeURIComponent(value) : "admin/cache/" + encodeURIComponent(value);
  try {
    const response = await call("DELETE", url);
    const text = await response.text();
    $("purge-result").textContent = text;
    $("purge-result").className = response.ok ? "ok" : "error";
    await load();
  } catch (e) {
    if (e.message !== "unauthorized") $("purge-result").textContent = "Purge failed: " + e.message;
  }
});
setInterval(() => { if (!$("data").hidden) load(); }, 10000);
load();
</script>
</body>
</html>
""";
}
