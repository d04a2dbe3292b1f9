// A table wider than the page scrolls on its own, so the page itself never scrolls sideways (WCAG 1.4.10,
// reflow, at 320 CSS pixels). While it overflows, the scrolling box is a region named by the table's caption
// that the keyboard can reach and scroll.
export function scrollWideTables(root) {
  for (const table of root.querySelectorAll("table.govuk-table")) {
    const box = document.createElement("div");
    box.className = "jj-table-scroll";
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
    const caption = table.querySelector("caption");
    const mark = () => {
      if (box.scrollWidth > box.clientWidth) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.replace(/\s+/g, " ").trim() : "Table");
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    };
    mark();
    window.addEventListener("resize", mark);
  }
}
