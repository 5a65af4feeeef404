/* Chuqing: the liaison's lead form on a weak signal.
 *
 * Without this script the form posts as usual (the server's Idempotency-Key in the form makes a
 * resubmission harmless). With it, a lead is first written to the phone (IndexedDB, photos
 * included), then sent; if there is no connection, or the send fails on the way, it stays on the
 * phone, is listed as 待发送, and is sent when the browser is back online or the page is opened
 * again. Each lead keeps the key it was written with, so however many times it is sent, the
 * server stores it once.
 */
(function () {
  "use strict";
  var form = document.getElementById("lead-form");
  if (!form || !window.indexedDB || !window.fetch || !window.FormData || !window.Promise) return;
  var status = document.getElementById("connection");
  var outbox = document.getElementById("outbox");
  var DB = "chuqing-outbox", STORE = "leads";
  var sending = false;

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  function all() { return withStore("readonly", function (store) { return store.getAll(); }); }
  function put(entry) { return withStore("readwrite", function (store) { store.put(entry); }); }
  function remove(key) { return withStore("readwrite", function (store) { store.delete(key); }); }

  function say(text) {
    if (!status) return;
    status.textContent = text;
    if (status.scrollIntoView) status.scrollIntoView({ block: "nearest" });
  }

  function show() {
    return all().then(function (entries) {
      outbox.innerHTML = "";
      entries.forEach(function (entry) {
        var item = document.createElement("li");
        item.className = "pending";
        item.textContent = "待发送 · " + entry.label + (entry.error ? "（" + entry.error + "）" : "");
        outbox.appendChild(item);
      });
      outbox.hidden = entries.length === 0;
      return entries;
    });
  }

  // One entry: the form's fields as [name, value] pairs; files are kept as Blobs.
  function send(entry) {
    var body = new FormData();
    entry.fields.forEach(function (pair) {
      if (pair[1] instanceof Blob) body.append(pair[0], pair[1], pair[2] || "photo");
      else body.append(pair[0], pair[1]);
    });
    return fetch(entry.action, { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.ok) return remove(entry.key).then(function () { return "sent"; });
        return response.json().catch(function () { return {}; }).then(function (answer) {
          var message = answer && answer.error && answer.error.message ? answer.error.message : "服务器暂时无法接收（" + response.status + "）";
          if (response.status === 401 || response.status === 403 || response.status >= 500) {
            // Logged out, an expired form, or the server is down: keep it and say why.
            entry.error = response.status === 401 ? "请重新登录后自动发送" : message;
            return put(entry).then(function () { return "kept"; });
          }
          // Refused for what it says (an empty text, a file that is not a photo): it will never
          // be accepted as it is, so give it back to the liaison to correct.
          return remove(entry.key).then(function () { restore(entry, message); return "refused"; });
        });
      }, function () { return "offline"; });
  }

  function restore(entry, message) {
    entry.fields.forEach(function (pair) {
      var field = form.elements[pair[0]];
      if (field && !(pair[1] instanceof Blob) && field.type !== "file" && field.type !== "hidden") {
        if (field.type === "checkbox") field.checked = pair[1] === "on"; else field.value = pair[1];
      }
    });
    say("未发送：" + message);
  }

  function flush() {
    if (sending) return Promise.resolve();
    sending = true;
    return all().then(function (entries) {
      var sent = 0;
      return entries.reduce(function (chain, entry) {
        return chain.then(function () { return send(entry).then(function (result) { if (result === "sent") sent += 1; }); });
      }, Promise.resolve()).then(function () {
        sending = false;
        return show().then(function (left) {
          if (sent > 0 && left.length === 0) {
            // Everything is on the server: show it in the list the server renders.
            location.replace(location.pathname + "?saved=lead");
          } else if (left.length > 0) {
            say(navigator.onLine ? "有 " + left.length + " 条线索尚未发送，稍后自动重试" : "当前没有网络：线索已保存在本机，联网后自动发送");
          }
        });
      });
    }, function () { sending = false; });
  }

  function localDate() {
    var now = new Date();
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    // A lead sent later is still about the day it was written.
    if (form.elements.seenOn && !form.elements.seenOn.value) form.elements.seenOn.value = localDate();
    var data = new FormData(form);
    var fields = [];
    data.forEach(function (value, name) {
      if (value instanceof File) { if (value.size > 0) fields.push([name, value, value.name]); }
      else fields.push([name, value]);
    });
    var text = String(data.get("text") || "").trim();
    var kind = form.elements.kind.options[form.elements.kind.selectedIndex].text;
    var entry = { key: data.get("idempotencyKey"), action: form.action, fields: fields, label: kind + "：" + text.slice(0, 30), savedAt: Date.now() };
    put(entry).then(function () {
      // The next lead written on this page is a different lead: a new key.
      form.reset();
      form.elements.idempotencyKey.value = newKey();
      say(navigator.onLine ? "正在发送…" : "当前没有网络：线索已保存在本机，联网后自动发送");
      return show();
    }).then(function () { if (navigator.onLine) return flush(); });
  });

  window.addEventListener("online", function () { say("网络已恢复，正在发送…"); flush(); });
  window.addEventListener("offline", function () { say("当前没有网络：新线索会先保存在本机"); });
  show().then(function (entries) { if (entries.length > 0 && navigator.onLine) flush(); });
})();
