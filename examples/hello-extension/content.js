// Marks the page: a script driving the browser (CDP, Playwright) can check for the attribute.
document.documentElement.setAttribute('data-hello-from-kernel', '1.0.0');
