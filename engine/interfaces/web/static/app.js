// Progressive enhancement only: every page works without this file.
// "Expand all" / "Collapse all" open or close the disclosures inside their scope (the tree, the firings).
document.addEventListener("DOMContentLoaded", function () {
  document.documentElement.classList.add("js");
  document.querySelectorAll("button[data-expand]").forEach(function (button) {
    button.addEventListener("click", function () {
      var open = button.getAttribute("data-expand") === "true";
      var scope = button.getAttribute("data-scope") || "main";
      document.querySelectorAll(scope + " details").forEach(function (d) { d.open = open; });
    });
  });
});
