// Progressive enhancement only: every page works without this file.
// "Expand all" / "Collapse all" open or close the explanation disclosures of a decision.
document.addEventListener("DOMContentLoaded", function () {
  document.documentElement.classList.add("js");
  document.querySelectorAll("button[data-expand]").forEach(function (button) {
    button.addEventListener("click", function () {
      var open = button.getAttribute("data-expand") === "true";
      document.querySelectorAll("main details").forEach(function (d) { d.open = open; });
    });
  });
});
