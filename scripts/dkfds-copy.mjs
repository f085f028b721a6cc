// Copies what the family portal uses of Det Fælles Designsystem (npm package dkfds, installed
// by `npm ci` from package-lock.json) into static/vendor/dkfds/: the borger.dk theme's CSS,
// the script, and exactly the files the CSS refers to (the IBM Plex Sans fonts and the
// icons), so that collectstatic's manifest finds every url() it rewrites. Source-map comments
// are dropped (the maps are not copied). Run through scripts/assets.sh (`make assets`).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pkg = path.join(root, "node_modules", "dkfds");
const dist = path.join(pkg, "dist");
const target = path.join(root, "static", "vendor", "dkfds");
const { version } = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8"));

const withoutSourceMap = (text) =>
  text.replace(/\n?\/\*# sourceMappingURL=[^*]*\*\/\s*$/, "\n").replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");

function copy(relative) {
  const from = path.join(dist, relative);
  const to = path.join(target, relative);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

fs.rmSync(target, { recursive: true, force: true });
fs.mkdirSync(path.join(target, "css"), { recursive: true });
fs.mkdirSync(path.join(target, "js"), { recursive: true });

const cssName = "css/dkfds-borgerdk.min.css";
const css = withoutSourceMap(fs.readFileSync(path.join(dist, cssName), "utf8"));
fs.writeFileSync(path.join(target, cssName), css);
const referenced = new Set();
for (const match of css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)) {
  const url = match[1];
  if (url.startsWith("data:") || url.startsWith("#")) continue;
  const relative = path.posix.normalize(path.posix.join("css", url.split(/[?#]/)[0]));
  if (relative.startsWith("..")) throw new Error(`dkfds CSS refers outside dist/: ${url}`);
  referenced.add(relative);
}
for (const relative of referenced) copy(relative);

const jsName = "js/dkfds.min.js";
fs.writeFileSync(
  path.join(target, jsName),
  withoutSourceMap(fs.readFileSync(path.join(dist, jsName), "utf8")),
);
copy("img/all-svg-icons.svg");
fs.copyFileSync(path.join(pkg, "LICENSE.md"), path.join(target, "LICENSE.md"));
copy("fonts/IBMPlexSans/complete/woff2/license.txt");
fs.writeFileSync(path.join(target, "VERSION"), `${version}\n`);
console.log(`dkfds ${version}: ${referenced.size + 5} files in static/vendor/dkfds`);
