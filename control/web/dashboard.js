// The dashboard of a served hybridsim lab. It talks only to the lab's
// control API (/api/v1, see /api/v1/openapi.json): fetch for reads and
// actions, EventSource for the event stream. No framework, no build step.
"use strict";

const api = "/api/v1";
const state = {
  deployment: null,   // the last GET /deployment answer
  selected: "",       // the Message-ID whose timeline is shown
  known: new Map(),   // Message-ID -> summary, for the list
  refreshTimer: 0,
};

// el builds an element: attributes (on* are listeners), then children
// (strings become text, never HTML).
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

// call makes one API request; an error answer throws its message.
async function call(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const resp = await fetch(api + path, init);
  const data = await resp.json().catch(() => ({}));
  if (!resp.ok) throw new Error(data.error || `${method} ${path}: HTTP ${resp.status}`);
  return data;
}

function fmtTime(t) {
  return t ? t.replace("T", " ").replace(/(\.\d+)?Z$/, " UTC") : "";
}

// ---- deployment ---------------------------------------------------------

function certByThumb(d) {
  const m = new Map();
  for (const o of d.organizations) for (const s of o.servers) for (const c of s.certificates || []) m.set(c.thumbprint, { cert: c, server: s.name });
  return m;
}

function flagList(flags) {
  if (!flags || flags.length === 0) return null;
  return el("ul", { class: "flags" }, flags.map(f => el("li", { class: "flag" }, el("span", { "aria-hidden": "true" }, "⚠ "), f)));
}

function connectorView(kind, c, certs) {
  const chosen = c.certificate ? certs.get(c.certificate) : null;
  return el("li", { class: "connector" + (c.flags && c.flags.length ? " flagged" : ""), "data-connector": c.name },
    el("h5", {}, el("span", { class: "kind" }, kind + " "), c.name),
    el("dl", {},
      c.bindings ? [el("dt", {}, "Bindings"), el("dd", {}, c.bindings.join(", "))] : null,
      el("dt", {}, "TlsCertificateName"), el("dd", { class: "mono" }, c.tlsCertificateName || "(empty)"),
      el("dt", {}, "FQDN"), el("dd", {}, c.fqdn || "(the server's)"),
      el("dt", {}, "Certificate now"),
      el("dd", { class: "choice", "data-thumbprint": c.certificate || "" },
        chosen ? `${chosen.cert.subject} (${c.certificate.slice(0, 8)}…)` : "none",
        el("br"), el("span", { class: "rule" }, c.rule))),
    flagList(c.flags));
}

function certView(c) {
  return el("li", { class: "certificate" + (c.flags.length ? " flagged" : ""), "data-thumbprint": c.thumbprint },
    el("details", {},
      el("summary", {}, c.subject, " — ", el("span", { class: "validity v-" + c.validity.split(" ")[0] }, c.validity)),
      el("dl", {},
        el("dt", {}, "Thumbprint"), el("dd", { class: "mono" }, c.thumbprint),
        el("dt", {}, "Issuer"), el("dd", {}, c.issuer),
        el("dt", {}, "Domains"), el("dd", {}, (c.domains || []).join(", ")),
        el("dt", {}, "Valid"), el("dd", {}, `${fmtTime(c.notBefore)} to ${fmtTime(c.notAfter)}`),
        el("dt", {}, "Services"), el("dd", {}, c.services),
        el("dt", {}, "Chain on this server"), el("dd", {}, c.status || (c.selfSigned ? "self-signed" : ""), c.chain && c.chain !== "True" ? el("pre", {}, c.chain) : null),
        el("dt", {}, "Private key"), el("dd", {}, c.privateKey ? "yes" : "no"),
        el("dt", {}, "Bindings"), el("dd", {}, c.bindings.length ? c.bindings.join(", ") : "none"))),
    flagList(c.flags));
}

function orgView(o, certs) {
  return el("section", { class: "org " + (o.role === "on-premises" ? "onprem" : "partner"), "aria-label": `${o.role}: ${o.name}` },
    el("h3", {}, o.role === "on-premises" ? "On-premises" : "Partner", ": ", o.name),
    o.servers.map(s => el("article", { class: "server", "data-server": s.name },
      el("h4", {}, s.name, " ", el("small", {}, `${s.fqdn} · ${s.role}`)),
      el("ul", { class: "connectors", "aria-label": `Receive connectors of ${s.name}` },
        (s.receiveConnectors || []).map(c => connectorView("Receive", c, certs))),
      el("h5", {}, "Certificates (LocalMachine\\My)"),
      el("ul", { class: "certificates" }, (s.certificates || []).map(certView)))),
    o.sendConnectors && o.sendConnectors.length ? el("ul", { class: "connectors", "aria-label": `Send connectors of ${o.name}` },
      o.sendConnectors.map(c => connectorView("Send", c, certs))) : null);
}

function tenantView(t) {
  const conn = (kind, c, details) => el("li", { class: "connector", "data-connector": c.Name },
    el("h5", {}, el("span", { class: "kind" }, kind + " "), c.Name, c.Enabled ? "" : " (disabled)"),
    el("dl", {}, details.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v === "" || v === undefined || v === null ? "(empty)" : String(v))])));
  return el("section", { class: "org exo", "aria-label": `Exchange Online tenant ${t.name}` },
    el("h3", {}, "Exchange Online: ", t.name),
    el("ul", { class: "connectors", "aria-label": "Inbound connectors" }, (t.inbound || []).map(c => conn("Inbound", c, [
      ["Type", c.ConnectorType], ["TlsSenderCertificateName", c.TlsSenderCertificateName], ["RequireTls", c.RequireTls],
      ["SenderDomains", (c.SenderDomains || []).join(", ")], ["CloudServicesMailEnabled", c.CloudServicesMailEnabled]]))),
    el("ul", { class: "connectors", "aria-label": "Outbound connectors" }, (t.outbound || []).map(c => conn("Outbound", c, [
      ["Type", c.ConnectorType], ["SmartHosts", (c.SmartHosts || []).join(", ")], ["TlsSettings", c.TlsSettings],
      ["TlsDomain", c.TlsDomain], ["RecipientDomains", (c.RecipientDomains || []).join(", ")]]))));
}

async function loadDeployment() {
  const d = await call("GET", "/deployment");
  const certs = certByThumb(d);
  const diagram = document.getElementById("diagram");
  const onprem = d.organizations.filter(o => o.role === "on-premises");
  const partners = d.organizations.filter(o => o.role !== "on-premises");
  diagram.replaceChildren(
    ...onprem.map(o => orgView(o, certs)),
    el("p", { class: "wire", "aria-hidden": "true" }, "⇄ SMTP ⇄"),
    ...d.tenants.map(tenantView),
    el("p", { class: "wire", "aria-hidden": "true" }, "⇄ SMTP ⇄"),
    ...partners.map(o => orgView(o, certs)));
  diagram.setAttribute("aria-busy", "false");
  const before = state.deployment;
  state.deployment = d;
  setClock(d.clock);
  return before ? deploymentChanges(before, d) : [];
}

// deploymentChanges lists what differs between two deployments: each
// connector's certificate, rule and flags, each certificate's validity.
function deploymentChanges(a, b) {
  const index = d => {
    const m = new Map();
    for (const o of d.organizations) {
      for (const s of o.servers) {
        for (const c of s.receiveConnectors || []) m.set(`${s.name}\\${c.name}`, `certificate ${c.certificate ? certByThumb(d).get(c.certificate).cert.subject : "none"}, ${c.rule}${c.flags.length ? "; flags: " + c.flags.join("; ") : ""}`);
        for (const c of s.certificates || []) m.set(`${s.name} certificate ${c.subject} (${c.thumbprint.slice(0, 8)}…)`, `${c.validity}, ${c.status}, bound to ${c.bindings.join(", ") || "nothing"}`);
      }
      for (const c of o.sendConnectors || []) m.set(`send connector ${c.name}`, `${c.rule}${c.flags.length ? "; flags: " + c.flags.join("; ") : ""}`);
    }
    for (const t of d.tenants) {
      for (const c of t.inbound || []) m.set(`${t.name} inbound ${c.Name}`, JSON.stringify(c));
      for (const c of t.outbound || []) m.set(`${t.name} outbound ${c.Name}`, JSON.stringify(c));
    }
    return m;
  };
  const x = index(a), y = index(b), out = [];
  for (const [k, v] of y) if (x.get(k) !== v) out.push(x.has(k) ? `${k}: ${v}` : `new: ${k}: ${v}`);
  for (const k of x.keys()) if (!y.has(k)) out.push(`gone: ${k}`);
  return out;
}

function setClock(t) {
  document.getElementById("clock").textContent = fmtTime(t);
  document.getElementById("clock").setAttribute("datetime", t);
}

// ---- actions ------------------------------------------------------------

// act runs an action, then shows its answer and what it changed in the
// deployment and the lab's events.
async function act(title, run) {
  const log = document.getElementById("change-log");
  const entry = el("article", { class: "change", "aria-busy": "true" }, el("h4", {}, title));
  if (log.firstElementChild && log.firstElementChild.tagName === "P") log.replaceChildren();
  log.prepend(entry);
  state.change = entry; // the stream adds the events that follow to it
  try {
    const answer = await run();
    const changes = await loadDeployment();
    await loadMessages();
    entry.append(answer ? el("pre", { class: "answer" }, answer) : "",
      el("p", {}, changes.length ? "The deployment changed:" : "The deployment did not change."),
      changes.length ? el("ul", { class: "deployment-changes" }, changes.map(c => el("li", {}, c))) : "");
  } catch (err) {
    entry.classList.add("error");
    entry.append(el("p", { role: "alert" }, err.message));
  }
  entry.setAttribute("aria-busy", "false");
}

function setupActions() {
  document.getElementById("probe-form").addEventListener("submit", ev => {
    ev.preventDefault();
    const f = ev.target;
    act(`Send a probe from ${f.from.value} to ${f.to.value}`, async () => {
      const r = await call("POST", "/send", { from: f.from.value, to: f.to.value, subject: f.subject.value });
      state.known.set(r.messageId, { id: r.messageId, summary: `${f.from.value} → ${f.to.value}: ${f.subject.value}` });
      await selectMessage(r.messageId);
      return `Message-ID ${r.messageId}`;
    });
  });
  document.getElementById("catalogue-form").addEventListener("submit", ev => {
    ev.preventDefault();
    const id = ev.target.entry.value, action = ev.submitter ? ev.submitter.value : "break";
    act(`${action === "fix" ? "Fix" : "Break"} ${id}`, async () => {
      const r = await call("POST", `/catalogue/${encodeURIComponent(id)}/${action}`, {});
      await loadCatalogue();
      return (r.restarted ? "The lab was restarted for this entry.\n" : "") + r.transcript;
    });
  });
  document.getElementById("catalogue-entry").addEventListener("change", showEntryTitle);
  document.getElementById("shell-form").addEventListener("submit", ev => {
    ev.preventDefault();
    const line = ev.target.command.value;
    act(`Shell: ${line}`, async () => (await call("POST", "/shell", { command: line })).text || "(no output)");
  });
  document.getElementById("clock-form").addEventListener("submit", ev => {
    ev.preventDefault();
    const d = ev.target.duration.value;
    act(`Advance the clock by ${d}`, async () => {
      const r = await call("POST", "/clock/advance", { duration: d });
      setClock(r.clock);
      if (state.selected) await selectMessage(state.selected);
      return `The lab clock is now ${fmtTime(r.clock)}`;
    });
  });
  document.getElementById("reset-form").addEventListener("submit", ev => {
    ev.preventDefault();
    act("Reset the lab", async () => {
      const r = await call("POST", "/reset", {});
      state.known.clear();
      state.selected = "";
      await loadCatalogue();
      return `The lab started again; its clock is ${fmtTime(r.clock)}`;
    });
  });
}

let catalogue = [];
async function loadCatalogue() {
  catalogue = await call("GET", "/catalogue");
  const sel = document.getElementById("catalogue-entry");
  const keep = sel.value;
  sel.replaceChildren(...catalogue.map(e => el("option", { value: e.id }, `${e.id}${e.broken ? " (broken)" : ""} ${e.slug}`)));
  if (keep) sel.value = keep;
  showEntryTitle();
}

function showEntryTitle() {
  const e = catalogue.find(e => e.id === document.getElementById("catalogue-entry").value);
  document.getElementById("catalogue-title").textContent = e ? `${e.title} (${e.direction}; ${e.broken ? "broken now" : "not broken"})` : "";
}

async function loadMailboxes() {
  const m = await call("GET", "/manifest");
  for (const id of ["probe-from", "probe-to"]) {
    document.getElementById(id).replaceChildren(...(m.mailboxes || []).map(a => el("option", { value: a }, a)));
  }
  const to = document.getElementById("probe-to");
  if (to.options.length > 1) to.selectedIndex = 1;
}

// ---- messages -----------------------------------------------------------

async function loadMessages() {
  const [trace, tracking] = await Promise.all([call("GET", "/messagetrace"), call("GET", "/tracking")]);
  for (const r of trace) {
    state.known.set(r.MessageId, { id: r.MessageId, summary: `${r.SenderAddress} → ${r.RecipientAddress}: ${r.Subject} (${r.Status})` });
  }
  for (const t of tracking) {
    if (!state.known.has(t.MessageId) && t.EventId === "RECEIVE") {
      state.known.set(t.MessageId, { id: t.MessageId, summary: `${t.Sender} → ${(t.Recipients || []).join(", ")}: ${t.MessageSubject}` });
    }
  }
  const list = document.getElementById("message-list");
  if (state.known.size === 0) {
    list.replaceChildren(el("li", {}, "No messages yet."));
    return;
  }
  list.replaceChildren(...[...state.known.values()].map(m => el("li", {},
    el("button", { type: "button", class: "message", "data-message-id": m.id, "aria-current": m.id === state.selected ? "true" : null,
      onclick: () => selectMessage(m.id) }, m.summary, el("br"), el("small", { class: "mono" }, m.id)))));
}

// parseCSVLine splits one protocol log line (RFC 4180 quoting).
function parseCSVLine(line) {
  const out = [];
  let cur = "", quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { out.push(cur); cur = ""; }
    else cur += ch;
  }
  out.push(cur);
  return out;
}

// sessionView is one SMTP session's protocol log: its transcript, the
// certificate presented (and the rule that chose it, from the
// deployment), and the verdict. The certificates come from the API,
// which reads them out of the log's certificate records (the entry's
// sentCertificate: the one this host sent; remoteCertificate: the
// peer's).
function sessionView(host, e) {
  const rows = e.Text.split("\n").filter(Boolean).map(parseCSVLine);
  const first = rows[0] || [];
  const connector = first[1] || "", session = first[2] || "";
  const logged = c => ({ subject: (c && c.subject) || "", thumb: (c && c.thumbprint) || "" });
  const sent = logged(e.sentCertificate), peer = logged(e.remoteCertificate);
  let verdict = "";
  for (const r of rows) {
    const [, , , , , , ev, data, context] = r;
    const reply = ev === "*" ? context : (ev === "<" && host === "Exchange Online") || (ev === ">" && host !== "Exchange Online") ? data : "";
    if (/^[45]\d\d /.test(reply || "") || /^250 2\.6\.0/.test(reply || "") || /TLS negotiation failed/.test(reply || "")) verdict = reply;
  }
  const cert = (label, c, cls) => [
    el("dt", {}, label),
    el("dd", { class: cls, "data-thumbprint": c.thumb }, c.thumb ? `${c.subject || "(subject not logged)"} (${c.thumb})` : "none"),
    c.thumb ? [el("dt", {}, "Chosen by"), el("dd", { class: "rule" }, chooserOf(c.thumb))] : null];
  return el("section", { class: "session", "data-session": session },
    el("h6", {}, `SMTP session ${session} on ${connector}`),
    el("dl", {},
      cert("Certificate this host sent", sent, "presented"),
      cert("Certificate the peer sent", peer, "peer"),
      el("dt", {}, "Verdict"),
      el("dd", { class: "verdict" + (/^[45]|failed/.test(verdict) ? " bad" : "") }, verdict || "no reply recorded")),
    el("details", {}, el("summary", {}, "Transcript"),
      el("pre", { class: "transcript" }, rows.map(r => `${r[6]} ${r[7] || ""}${r[8] ? "  " + r[8] : ""}`).join("\n"))));
}

// chooserOf names the connectors of the deployment that choose a
// certificate, and why.
function chooserOf(thumb) {
  if (!state.deployment) return "";
  const out = [];
  for (const o of state.deployment.organizations) {
    for (const s of o.servers) for (const c of s.receiveConnectors || []) if (c.certificate === thumb) out.push(`${s.name}\\${c.name}: ${c.rule}`);
    for (const c of o.sendConnectors || []) if (c.certificate === thumb) out.push(`${c.name}: ${c.rule}`);
  }
  return out.length ? out.join("; ") : "Exchange Online's own certificate, or not chosen by any connector now";
}

function entryView(host, e) {
  if (e.Source === "protocol log") return el("li", { class: "entry", "data-source": e.Source }, el("time", { datetime: e.Time }, fmtTime(e.Time)), " ", sessionView(host, e));
  const kind = (e.Text.match(/^([A-Z]+)\b/) || [])[1] || "";
  const led = (e.Text.match(/\{LED=(.*?)\};/) || [])[1];
  return el("li", { class: `entry kind-${kind.toLowerCase()}`, "data-source": e.Source, "data-kind": kind },
    el("time", { datetime: e.Time }, fmtTime(e.Time)), " ", el("strong", {}, e.Source),
    kind === "DEFER" ? el("p", { class: "deferral" }, "Deferral. LED: ", el("code", { class: "led" }, led || "")) : null,
    kind === "FAIL" || kind === "DSN" ? el("p", { class: "ndr" }, "Failed for good: the sender gets an NDR.", led ? [" LED: ", el("code", { class: "led" }, led)] : null) : null,
    el("pre", {}, e.Text));
}

function eventView(text) {
  const id = (text.match(/Event ID: (\d+)/) || [])[1] || "";
  const source = (text.match(/Source: (\S+)/) || [])[1] || "";
  return el("li", { class: "event-log-entry", "data-event-id": id, "data-event-source": source },
    el("strong", {}, `Event ${id}`, source ? ` (${source})` : ""), el("pre", {}, text));
}

async function selectMessage(id) {
  state.selected = id;
  const tl = document.getElementById("timeline");
  let t;
  try {
    t = await call("GET", "/messages/" + encodeURIComponent(id));
  } catch (err) {
    tl.replaceChildren(el("h3", { id: "timeline-h" }, "Timeline"), el("p", { role: "alert" }, err.message));
    return;
  }
  tl.replaceChildren(
    el("h3", { id: "timeline-h" }, "Timeline of ", el("code", {}, t.MessageID)),
    el("h4", {}, "Where it is now"),
    el("ul", { class: "whereabouts" }, (t.Whereabouts || []).map(w => el("li", { "data-place": w.Place, "data-recipient": w.Recipient },
      w.Place === "ndr" ? [`${w.Recipient}: returned to the sender in an NDR (via ${(w.Path || []).join(" → ")}) `,
        el("button", { type: "button", onclick: () => selectMessage(w.Where) }, "Show the NDR ", el("span", { class: "mono" }, w.Where))] :
      `${w.Recipient}: ${w.Place === "mailbox" ? "delivered to mailbox" : w.Place === "queue" ? "waiting in queue" : w.Place} ${w.Where} (via ${(w.Path || []).join(" → ")})`,
      w.LastError ? [el("br"), "LastError: ", el("code", { class: "led" }, w.LastError)] : null))),
    el("h4", {}, "Every hop"),
    el("ol", { class: "hops" }, (t.Hops || []).map(h => el("li", { class: "hop", "data-host": h.Host },
      el("h5", {}, h.Host), el("ol", { class: "entries" }, h.Entries.map(e => entryView(h.Host, e)))))),
    el("h4", {}, "Application log"),
    t.Events && t.Events.length ? el("ul", { class: "event-log" }, t.Events.map(eventView)) : el("p", {}, "No event-log entries."));
  // Screen readers hear where the message is when that changes, not every
  // re-render of the timeline.
  const where = (t.Whereabouts || []).map(w => `${w.Recipient}: ${w.Place === "mailbox" ? "delivered" : w.Place} ${w.Where}`).join("; ");
  const status = document.getElementById("timeline-status");
  if (status.textContent !== where) status.textContent = where;
  for (const b of document.querySelectorAll("#message-list button")) {
    if (b.dataset.messageId === id) b.setAttribute("aria-current", "true"); else b.removeAttribute("aria-current");
  }
}

// ---- live events --------------------------------------------------------

const kinds = ["session", "certificate", "verdict", "receive", "send", "delivery", "deferral", "ndr", "eventlog"];

function connectStream() {
  const status = document.getElementById("stream-state");
  const es = new EventSource(api + "/stream");
  es.onopen = () => { status.textContent = "live"; };
  es.onerror = () => { status.textContent = "event stream interrupted; reconnecting…"; };
  const list = document.getElementById("event-list");
  for (const k of kinds) {
    es.addEventListener(k, m => {
      const e = JSON.parse(m.data);
      state.lastSeq = e.seq;
      list.prepend(el("li", { class: `event k-${e.kind}`, "data-kind": e.kind },
        el("time", { datetime: e.time }, fmtTime(e.time)), ` ${e.kind} ${e.host}: `, e.text, e.messageId ? el("small", { class: "mono" }, ` ${e.messageId}`) : ""));
      while (list.children.length > 200) list.lastElementChild.remove();
      setClock(e.time);
      if (state.change) {
        let ul = state.change.querySelector("ul.change-events");
        if (!ul) state.change.append(el("p", {}, "Events:"), ul = el("ul", { class: "change-events" }));
        ul.append(el("li", { "data-kind": e.kind }, `${e.kind} ${e.host}: ${e.text.split("\n")[0]}`));
      }
      scheduleRefresh();
    });
  }
  es.addEventListener("gap", () => scheduleRefresh());
}

// scheduleRefresh reloads the message list and the shown timeline once a
// burst of events is over.
function scheduleRefresh() {
  clearTimeout(state.refreshTimer);
  state.refreshTimer = setTimeout(async () => {
    await loadMessages().catch(() => {});
    if (state.selected) await selectMessage(state.selected).catch(() => {});
  }, 150);
}

async function start() {
  setupActions();
  connectStream();
  await Promise.all([loadDeployment(), loadCatalogue(), loadMailboxes(), loadMessages()]);
  document.body.dataset.ready = "true";
  // hybridsim serve moves the clock with the wall clock: follow it.
  setInterval(() => call("GET", "/clock").then(r => setClock(r.clock)).catch(() => {}), 10000);
}

document.addEventListener("DOMContentLoaded", () => {
  start().catch(err => {
    document.getElementById("diagram").replaceChildren(el("p", { role: "alert" }, `The dashboard could not load the lab: ${err.message}`));
  });
});
