/** Who is asking, by the User-Agent header: a person's browser, or a machine (crawler, link scanner, script). */

/** User agents of crawlers, link previewers and scanners, monitors and scripts. */
const BOT =
  /bot|crawl|spider|slurp|preview|scan|facebookexternalhit|headless|lighthouse|pingdom|monitor|uptime|curl|wget|python-requests|httpclient|okhttp|go-http-client|java\/|libwww|scrapy|phantomjs/i;

/** A machine, or a caller that does not say what it is (no User-Agent). */
export function isBot(userAgent: string | undefined): boolean {
  return !userAgent || userAgent.trim() === '' || BOT.test(userAgent);
}
