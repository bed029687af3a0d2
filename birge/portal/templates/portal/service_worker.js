// Keeps the pages a reader needs without a network readable after one visit: the home page
// (with the emergency numbers every page carries) and the guidance pages, in each language.
// Everything else goes to the network as usual. No framework: about fifty lines.
const CACHE = "birge-{{ version|escapejs }}";
const PRECACHE = [{% for url in precache %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const KEPT_PAGES = /^\/(kk|ru|en)\/(guidance\/([\w-]+\/)?)?$/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith("birge-") && key !== CACHE).map((key) => caches.delete(key))
      ))
      .then(() => self.clients.claim())
  );
});

function languageHome(url) {
  const language = url.pathname.split("/")[1];
  return "/" + (["kk", "ru", "en"].includes(language) ? language : "kk") + "/";
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    // Fingerprinted names: a cached copy is always the right one.
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
    return;
  }
  if (request.mode !== "navigate") return;
  const keep = KEPT_PAGES.test(url.pathname) && !url.search;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (keep && response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() =>
        caches.match(request).then((hit) => hit || caches.match(languageHome(url))).then(
          (hit) => hit || new Response("Offline", { status: 503, headers: { "Content-Type": "text/plain" } })
        )
      )
  );
});
