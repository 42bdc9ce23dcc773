/*
 * inspect/crawl_guard.c — safe targets: where the crawler may connect.
 *
 * The site a user names may live on any address (offices inspect intranet
 * sites; the tests serve 127.0.0.1).  Everything else — a redirect to
 * another host, a link to another site under --external, a host the site
 * config adds, the homepage's new host after a redirect — is refused when
 * the address it would connect to is loopback, private (RFC 1918, CGNAT
 * 100.64/10 where cloud metadata lives, IPv6 ULA fc00::/7), link-local
 * (169.254/16 with the metadata address 169.254.169.254, fe80::/10),
 * multicast, unspecified or reserved, unless it is one of the addresses
 * (and the port) the named host had when the crawl began, or
 * --allow-private (or "private,allow" in the site config) says so.
 *
 * The check is made on the address libcurl is about to connect to
 * (CURLOPT_OPENSOCKETFUNCTION), after every DNS answer and every
 * redirect, so a name that resolves to 127.0.0.2 cannot slip by.  Behind
 * a proxy from the environment the connection is the proxy's, and the
 * guard is off (docs/inspect.md).
 *
 * KP_TEST_RESOLVE="HOST:PORT:ADDR[,HOST:PORT:ADDR…]" (a test hook, as
 * curl's --resolve) makes HOST:PORT resolve to ADDR for every transfer,
 * so the tests can name hosts without DNS or /etc/hosts.
 */
#include "inspect/crawl_int.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

/* ---- addresses ---------------------------------------------------------- */

static bool special4(const unsigned char *a)
{
	return a[0] == 0 || a[0] == 10 || a[0] == 127 ||            /* this, private, loopback */
	       (a[0] == 100 && (a[1] & 0xC0) == 64) ||             /* 100.64/10 */
	       (a[0] == 169 && a[1] == 254) ||                     /* link-local, metadata */
	       (a[0] == 172 && (a[1] & 0xF0) == 16) ||             /* 172.16/12 */
	       (a[0] == 192 && a[1] == 168) ||                     /* 192.168/16 */
	       (a[0] == 192 && a[1] == 0 && a[2] == 0) ||          /* IETF protocol */
	       (a[0] == 198 && (a[1] & 0xFE) == 18) ||             /* benchmarking */
	       a[0] >= 224;                                        /* multicast, reserved */
}

bool kp_inspect_addr_special(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return special4((const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr);
	if (sa->sa_family != AF_INET6)
		return true;
	const unsigned char *a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF };
	static const unsigned char nat64[12] = { 0, 0x64, 0xFF, 0x9B };
	if (!memcmp(a, mapped, 12) || !memcmp(a, nat64, 12))
		return special4(a + 12);
	bool zero = true;   /* :: and ::1 */
	for (int i = 0; i < 15; i++)
		zero &= !a[i];
	return zero || (a[0] & 0xFE) == 0xFC ||                   /* ULA */
	       (a[0] == 0xFE && (a[1] & 0x80) == 0x80) ||          /* fe80::/10, fec0::/10 */
	       a[0] == 0xFF;                                       /* multicast */
}

/* sa's address and port as a person reads them, into buf. */
static void addr_text(const struct sockaddr *sa, char *buf, size_t n)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &s->sin_addr, ip, sizeof(ip));
		port = ntohs(s->sin_port);
		snprintf(buf, n, "%s:%u", ip, port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)sa;
		inet_ntop(AF_INET6, &s->sin6_addr, ip, sizeof(ip));
		port = ntohs(s->sin6_port);
		snprintf(buf, n, "[%s]:%u", ip, port);
	} else {
		snprintf(buf, n, "%s", ip);
	}
}

static bool same_addr(const struct sockaddr *a, const struct sockaddr_storage *b)
{
	if (a->sa_family != b->ss_family)
		return false;
	if (a->sa_family == AF_INET) {
		const struct sockaddr_in *x = (const struct sockaddr_in *)a;
		const struct sockaddr_in *y = (const struct sockaddr_in *)b;
		return x->sin_port == y->sin_port &&
		       x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	const struct sockaddr_in6 *x = (const struct sockaddr_in6 *)a;
	const struct sockaddr_in6 *y = (const struct sockaddr_in6 *)b;
	return x->sin6_port == y->sin6_port &&
	       !memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr));
}

/* ip (text) and port into ss; false when ip is not an address. */
static bool addr_parse(const char *ip, unsigned port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, ip, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		return true;
	}
	if (inet_pton(AF_INET6, ip, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		return true;
	}
	return false;
}

/* ---- KP_TEST_RESOLVE ----------------------------------------------------- */

struct curl_slist *kp_inspect_test_resolve(void)
{
	const char *v = getenv("KP_TEST_RESOLVE");
	struct curl_slist *l = NULL;
	if (!v || !*v)
		return NULL;
	char *copy = kp_xstrdup(v), *save = NULL;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		struct curl_slist *n = curl_slist_append(l, t);
		if (n)
			l = n;
	}
	free(copy);
	return l;
}

/* The address that resolve maps host:port to, into ss. */
static bool test_resolved(const struct curl_slist *resolve, const char *name,
			  unsigned port, struct sockaddr_storage *ss)
{
	char want[300];
	snprintf(want, sizeof(want), "%s:%u:", name, port);
	for (; resolve; resolve = resolve->next)
		if (!strncasecmp(resolve->data, want, strlen(want)))
			return addr_parse(resolve->data + strlen(want), port, ss);
	return false;
}

/* ---- the guard ------------------------------------------------------------ */

void kp_inspect_guard_init(kp_inspect_guard *g, const char *home, bool allow_private,
			   const struct curl_slist *resolve)
{
	char hp[256], name[256];
	unsigned port = strncmp(home, "https:", 6) ? 80 : 443;
	memset(g, 0, sizeof(*g));
	g->on = true;
	g->allow_private = allow_private;
	if (!kp_inspect_url_host(home, hp, sizeof(hp)))
		return;
	size_t hl = kp_inspect_host_len(hp);
	if (hp[hl] == ':')
		port = (unsigned)strtoul(hp + hl + 1, NULL, 10);
	/* an IPv6 literal without its brackets */
	size_t off = hp[0] == '[' ? 1 : 0, len = hl - off - (hp[0] == '[' ? 1 : 0);
	snprintf(name, sizeof(name), "%.*s", (int)len, hp + off);
	if (test_resolved(resolve, name, port, &g->own[0])) {
		g->nown = 1;
		return;
	}
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(name, NULL, &hints, &res) != 0)
		return;
	for (struct addrinfo *a = res; a && g->nown < KP_INSPECT_GUARD_OWN; a = a->ai_next) {
		char ip[INET6_ADDRSTRLEN];
		const void *p = a->ai_family == AF_INET
			? (const void *)&((struct sockaddr_in *)a->ai_addr)->sin_addr
			: (const void *)&((struct sockaddr_in6 *)a->ai_addr)->sin6_addr;
		if ((a->ai_family == AF_INET || a->ai_family == AF_INET6) &&
		    inet_ntop(a->ai_family, p, ip, sizeof(ip)) &&
		    addr_parse(ip, port, &g->own[g->nown]))
			g->nown++;
	}
	freeaddrinfo(res);
}

bool kp_inspect_guard_own(const kp_inspect_guard *g, const struct sockaddr *sa)
{
	for (size_t i = 0; i < g->nown; i++)
		if (same_addr(sa, &g->own[i]))
			return true;
	return false;
}

bool kp_inspect_guard_own_ip(const kp_inspect_guard *g, const char *ip, long port)
{
	struct sockaddr_storage ss;
	return ip && port > 0 && port < 65536 && addr_parse(ip, (unsigned)port, &ss) &&
	       kp_inspect_guard_own(g, (const struct sockaddr *)&ss);
}

curl_socket_t kp_inspect_guard_open(void *clientp, curlsocktype purpose,
				    struct curl_sockaddr *a)
{
	xfer *x = clientp;
	const struct sockaddr *sa = &a->addr;
	if (!x)
		return CURL_SOCKET_BAD;
	if (purpose == CURLSOCKTYPE_IPCXN && kp_inspect_addr_special(sa) &&
	    !x->guard->allow_private && !kp_inspect_guard_own(x->guard, sa)) {
		addr_text(sa, x->refused, sizeof(x->refused));
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

/* ---- the homepage's new host ------------------------------------------------ */

/* Second-level labels under a country code that are public suffixes
 * (gov.cn, com.cn, bj.cn …): the registrable domain takes one label
 * more.  An approximation of the Public Suffix List for the domains
 * government sites use. */
static bool public_second(const char *label, size_t n)
{
	static const char *const names[] = {
		"ac", "co", "com", "edu", "gov", "mil", "net", "org",
		"bj", "sh", "tj", "cq", "he", "sx", "nm", "ln", "jl", "hl", "js",
		"zj", "ah", "fj", "jx", "sd", "ha", "hb", "hn", "gd", "gx", "hi",
		"sc", "gz", "yn", "xz", "sn", "gs", "qh", "nx", "xj", "tw", "hk",
		"mo", NULL
	};
	for (const char *const *p = names; *p; p++)
		if (strlen(*p) == n && !strncasecmp(*p, label, n))
			return true;
	return false;
}

bool kp_inspect_same_registrable(const char *a, const char *b)
{
	char ha[256], dom[256];
	size_t n = kp_inspect_host_len(a);
	if (n >= sizeof(ha) || !n)
		return false;
	memcpy(ha, a, n);
	ha[n] = '\0';
	/* an address is its own domain */
	if (ha[0] == '[' || strspn(ha, "0123456789.") == n)
		return false;
	/* the last two labels, or three under a public second level */
	const char *last = strrchr(ha, '.');
	if (!last)
		return false;
	const char *p = last;
	while (p > ha && p[-1] != '.')
		p--;
	if (strlen(last + 1) == 2 && public_second(p, (size_t)(last - p))) {
		if (p == ha)
			return false;   /* "gov.cn" itself: no domain to share */
		p--;
		while (p > ha && p[-1] != '.')
			p--;
	}
	snprintf(dom, sizeof(dom), "%s", p);
	return kp_inspect_host_under(b, dom);
}
