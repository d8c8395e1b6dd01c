// Name suggestions for every input marked data-search: its datalist is filled from /search as
// the user types. Options are built with the DOM (value and label as text), never as HTML.
"use strict";

function attach(input) {
  const list = document.getElementById(input.getAttribute("list"));
  if (!list) return;
  const labels = input.dataset.search || "";
  let timer = null;
  let asked = "";
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => suggest(input, list, labels), 150);
  });

  async function suggest() {
    const text = input.value.trim();
    if (text.length < 2 || text === asked) return;
    asked = text;
    const url = "/search?q=" + encodeURIComponent(text) +
      (labels ? "&label=" + encodeURIComponent(labels) : "");
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (!response.ok || input.value.trim() !== text) return;
    const found = await response.json();
    list.replaceChildren(...found.map((item) => {
      const option = document.createElement("option");
      option.value = item.id;
      option.label = item.name + " (" + item.label + ")";
      option.textContent = item.name + " (" + item.label + ")";
      return option;
    }));
    list.dataset.ready = text;
  }
}

document.querySelectorAll("input[data-search]").forEach(attach);
