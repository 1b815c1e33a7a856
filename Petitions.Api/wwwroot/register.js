// Adds and removes representatives of a group visit (at most five), keeping the field names indexed 0..n-1.
(function () {
  const set = document.getElementById("representatives");
  const add = document.getElementById("add-representative");
  if (!set || !add) return;
  const max = Number(set.dataset.max);
  const rows = () => Array.from(set.querySelectorAll(".representative"));
  const field = (i, key, label) =>
    `<label for="rep-${i}-${key}">${label}</label><input id="rep-${i}-${key}" name="Input.Representatives[${i}].${key === "id" ? "IdNumber" : key === "name" ? "Name" : "Phone"}">`;
  function reindex() {
    rows().forEach((row, i) => row.querySelectorAll("input").forEach((input) => {
      input.name = input.name.replace(/Representatives\[\d+\]/, `Representatives[${i}]`);
      input.id = input.id.replace(/rep-\d+-/, `rep-${i}-`);
    }));
    rows().forEach((row, i) => row.querySelectorAll("label").forEach((label) => {
      label.htmlFor = label.htmlFor.replace(/rep-\d+-/, `rep-${i}-`);
    }));
    add.disabled = rows().length >= max;
  }
  add.addEventListener("click", () => {
    const i = rows().length;
    if (i >= max) return;
    const row = document.createElement("div");
    row.className = "representative";
    row.innerHTML = field(i, "name", set.dataset.labelName) + field(i, "id", set.dataset.labelId) + field(i, "phone", set.dataset.labelPhone) +
      `<button type="button" class="remove">${set.dataset.labelRemove}</button>`;
    set.insertBefore(row, add);
    reindex();
  });
  set.addEventListener("click", (event) => {
    if (!event.target.classList.contains("remove")) return;
    event.target.closest(".representative").remove();
    reindex();
  });
  reindex();
})();
