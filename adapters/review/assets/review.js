// Small conveniences; every page works without them.
document.addEventListener("click", (e) => {
  if (e.target.closest("[data-print]")) window.print();
});
// Filters apply as soon as a menu or a date changes.
const filters = document.getElementById("filters");
if (filters) {
  filters.querySelectorAll("select, input[type=date]").forEach((el) =>
    el.addEventListener("change", () => filters.requestSubmit()));
}
// "/" jumps to the search box, as on most sites.
document.addEventListener("keydown", (e) => {
  const q = document.querySelector("input[name=q]");
  if (e.key === "/" && q && document.activeElement !== q && !/INPUT|SELECT|TEXTAREA/.test(document.activeElement.tagName)) {
    e.preventDefault();
    q.focus();
  }
});
