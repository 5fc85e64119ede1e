// Runs the query with fetch and shows SELECT/ASK results as a table; other formats as text.
// Without JavaScript the form still works: it submits to the endpoint as a plain GET.
"use strict";
(function () {
  const form = document.getElementById("query-form");
  const status = document.getElementById("status");
  const results = document.getElementById("results");

  function cell(term) {
    if (!term) return "";
    if (term.type === "literal") {
      return term["xml:lang"] ? term.value + "@" + term["xml:lang"] : term.value;
    }
    return term.type === "bnode" ? "_:" + term.value : term.value;
  }

  function table(data) {
    const t = document.createElement("table");
    const head = t.createTHead().insertRow();
    for (const v of data.head.vars) {
      const th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    }
    const body = t.createTBody();
    for (const b of data.results.bindings) {
      const row = body.insertRow();
      for (const v of data.head.vars) {
        const td = row.insertCell();
        const term = b[v];
        if (term && term.type === "uri") {
          const a = document.createElement("a");
          a.href = term.value;
          a.textContent = term.value;
          td.appendChild(a);
        } else {
          td.textContent = cell(term);
        }
      }
    }
    return t;
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const params = new URLSearchParams(new FormData(form));
    const format = params.get("format");
    if (!format) params.delete("format");
    if (!params.get("timeout")) params.delete("timeout");
    results.replaceChildren();
    status.className = "";
    status.textContent = "Running…";
    const started = performance.now();
    try {
      const response = await fetch(form.action, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded",
                   "Accept": format ? "*/*" : "application/sparql-results+json, text/turtle;q=0.9" },
        body: params,
      });
      const type = response.headers.get("Content-Type") || "";
      const text = await response.text();
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      if (!response.ok) {
        status.className = "error";
        status.textContent = "Error " + response.status + ": " + text;
        return;
      }
      if (type.startsWith("application/sparql-results+json")) {
        const data = JSON.parse(text);
        if ("boolean" in data) {
          status.textContent = "ASK: " + data.boolean + " (" + seconds + " s)";
          return;
        }
        status.textContent = data.results.bindings.length + " rows (" + seconds + " s)";
        results.appendChild(table(data));
      } else {
        status.textContent = type + " (" + seconds + " s)";
        const pre = document.createElement("pre");
        pre.textContent = text;
        results.appendChild(pre);
      }
    } catch (err) {
      status.className = "error";
      status.textContent = String(err);
    }
  });
})();
