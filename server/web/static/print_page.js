// A printable page's 打印 button: the browser's print dialog (the button itself is not printed).
document.getElementById("print-page").addEventListener("click", () => window.print());
