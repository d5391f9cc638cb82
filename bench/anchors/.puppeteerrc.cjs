// Full puppeteer (pulled in by pa11y-ci and lhci) must not download a browser: the benchmarks
// point every tool at the same system Chromium (/usr/bin/chromium or CHROME_PATH).
module.exports = {skipDownload: true}
