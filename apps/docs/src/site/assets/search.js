// The search box of every page: loads the index built at build time on first use, then
// searches it in the browser. Results link to the section (or operation) that matched.
import MiniSearch from "./minisearch.js";

const root = document.documentElement.dataset.root ?? "./";
const input = document.getElementById("search");
const results = document.getElementById("search-results");
let index;

async function loadIndex() {
  if (!index) {
    const response = await fetch(`${root}search-index.json`);
    const data = await response.json();
    index = MiniSearch.loadJS(data.index, data.options);
  }
  return index;
}

function show(hits) {
  results.replaceChildren(
    ...hits.map((hit) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `${root}${hit.url}`;
      const title = document.createElement("strong");
      title.textContent = hit.heading ? `${hit.title} › ${hit.heading}` : hit.title;
      const excerpt = document.createElement("span");
      excerpt.textContent = hit.excerpt;
      link.append(title, excerpt);
      item.append(link);
      return item;
    }),
  );
  if (hits.length === 0) {
    const item = document.createElement("li");
    item.className = "empty";
    item.textContent = "Nothing found";
    results.append(item);
  }
  results.hidden = false;
}

input?.addEventListener("input", async () => {
  const query = input.value.trim();
  if (query.length < 2) {
    results.hidden = true;
    return;
  }
  const searchIndex = await loadIndex();
  const hits = searchIndex.search(query, {
    prefix: true,
    fuzzy: 0.2,
    boost: { title: 3, heading: 2 },
  });
  show(hits.slice(0, 12));
});

input?.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    input.value = "";
    results.hidden = true;
  }
});

document.addEventListener("click", (event) => {
  if (!results.contains(event.target) && event.target !== input) results.hidden = true;
});
