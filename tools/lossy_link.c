/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file lossy_link.c
 * @brief A bad network on loopback: a proxy that drops, duplicates, reorders and delays UDP
 *        datagrams (or delays TCP bytes), with a seed, saying what it did to each one.
 *
 * Run it between a client and a server:
 *
 *     tools/lossy_link --to 127.0.0.1:4433 --listen 127.0.0.1:4434 --drop 0.2 --seed 7
 *     lessons/15_dtls_client --port 4434
 *
 * It prints "listening on HOST:PORT" once it is ready (with `--listen ...:0`, the port the system
 * picked), then one line per datagram: its number in its direction (`>` client to server, `<`
 * server to client), its size, the DTLS records in it, and its fate. With the same seed, the n-th
 * datagram each way meets the same fate in every run. `--tcp` relays TCP connections instead,
 * delaying the bytes of each direction by `--delay`, at `--rate` if given (TCP resends what a
 * network drops, so that mode only delays). It runs until SIGINT or SIGTERM, then prints a summary and exits
 * 0. Exit codes: 0 stopped by a signal, 1 bad command line, 3 network (cannot resolve or bind).
 */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "address.h"
#include "lossy_link.h"

volatile sig_atomic_t link_stop;

static void on_stop(int sig)
{
    (void) sig;
    link_stop = 1;
}

void link_say(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

static int resolve(const char *host, const char *port, int type, int passive, struct sockaddr_storage *addr,
                   socklen_t *len)
{
    struct addrinfo hints, *res = NULL;
    int ret;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = type;
    hints.ai_flags = passive ? AI_PASSIVE : 0;
    ret = getaddrinfo(host, port, &hints, &res);
    if (ret != 0) {
        fprintf(stderr, "lossy_link: cannot resolve %s port %s: %s\n", host, port, gai_strerror(ret));
        return -1;
    }
    memcpy(addr, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

int link_resolve_target(const struct link_options *o, int type, struct sockaddr_storage *addr, socklen_t *len)
{
    return resolve(o->to_host, o->to_port, type, 0, addr, len);
}

int link_bind(const struct link_options *o, int type)
{
    struct sockaddr_storage addr;
    socklen_t len;
    char where[96];
    int one = 1, fd;

    if (resolve(o->listen_host, o->listen_port, type, 1, &addr, &len) != 0)
        return -1;
    fd = socket(addr.ss_family, type, 0);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(fd, (struct sockaddr *) &addr, len) != 0 || (type == SOCK_STREAM && listen(fd, 16) != 0)) {
        fprintf(stderr, "lossy_link: cannot listen on %s port %s: %s\n", o->listen_host, o->listen_port,
                strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (address_of_socket(fd, ADDRESS_LOCAL, where, sizeof(where)) != 0)
        snprintf(where, sizeof(where), "%s:%s", o->listen_host, o->listen_port);
    link_say("listening on %s", where); /* scripts wait for this exact line */
    return fd;
}

/* "HOST:PORT" (or "[V6]:PORT") into its two halves, in place. */
static int split_host_port(char *text, const char **host, const char **port)
{
    char *colon = strrchr(text, ':');

    if (colon == NULL || colon[1] == '\0' || colon == text)
        return -1;
    *colon = '\0';
    *port = colon + 1;
    if (text[0] == '[' && colon[-1] == ']') {
        colon[-1] = '\0';
        text++;
    }
    *host = text;
    return 0;
}

/* A rate: "60kbit", "1mbit", "1gbit" or a plain number of kbit/s. */
static int parse_rate(const char *text, double *kbit)
{
    static const struct {
        const char *unit;
        double kbit;
    } units[] = {{"", 1}, {"kbit", 1}, {"mbit", 1e3}, {"gbit", 1e6}};
    char *end;
    double v;

    errno = 0;
    v = strtod(text, &end);
    if (errno != 0 || end == text || !(v > 0))
        return -1;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strcmp(end, units[i].unit) == 0) {
            *kbit = v * units[i].kbit;
            return *kbit <= 1e8 ? 0 : -1;
        }
    }
    return -1;
}

static void usage(void)
{
    printf("Usage: lossy_link --to HOST:PORT [OPTIONS]\n"
           "A bad network between a client and a server on this machine: UDP datagrams are\n"
           "dropped, duplicated, reordered and delayed at random (a seeded, repeatable random);\n"
           "with --tcp, the bytes of TCP connections are delayed (and paced at --rate). One\n"
           "line per datagram or chunk says what happened to it.\n\n"
           "Options:\n"
           "  --to HOST:PORT        the server to forward to (required)\n"
           "  --listen HOST:PORT    where clients connect (default: 127.0.0.1:0, a free port,\n"
           "                        printed as \"listening on HOST:PORT\")\n"
           "  --udp | --tcp         relay UDP datagrams (the default) or TCP connections\n"
           "  --drop P              probability that a datagram is lost (0-1 or N%%; default 0)\n"
           "  --duplicate P         probability that it arrives twice (default 0)\n"
           "  --reorder P           probability that it is held back behind the next one (default 0)\n"
           "  --delay D             one-way delay: 50, 50ms or 0.05s (default 0); with --tcp,\n"
           "                        each direction's bytes arrive D later (a round trip of 2 D)\n"
           "  --jitter D            extra random delay from 0 to D (default 0)\n"
           "  --seed N              the seed: the same seed, the same fates (default 1)\n"
           "  --rate R              with --tcp, each direction's rate: 60kbit, 1mbit, 1gbit or a\n"
           "                        number of kbit/s (default: no limit); a chunk's 40 bytes of\n"
           "                        TCP/IP headers per 1460-byte segment (a 1500-byte MTU) count\n"
           "  --tcp-handshake       with --tcp, the client's first bytes wait one round trip more\n"
           "                        (2 D): the TCP handshake, which loopback completes at once\n"
           "  --cid-len N           length of DTLS connection IDs, to describe their records (default 4)\n"
           "  --quiet               no line per datagram, only the summary\n"
           "  --help                show this help\n\n"
           "Runs until SIGINT or SIGTERM, then prints a summary. Exit codes: 0 stopped by a\n"
           "signal, 1 bad command line, 3 cannot resolve or bind.\n");
}

static int bad(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int bad(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "lossy_link: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (try 'lossy_link --help')\n");
    return 1;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"to", required_argument, NULL, 't'},      {"listen", required_argument, NULL, 'l'},
        {"udp", no_argument, NULL, 'u'},           {"tcp", no_argument, NULL, 'T'},
        {"drop", required_argument, NULL, 'd'},    {"duplicate", required_argument, NULL, 'D'},
        {"reorder", required_argument, NULL, 'r'}, {"delay", required_argument, NULL, 'y'},
        {"jitter", required_argument, NULL, 'j'},  {"seed", required_argument, NULL, 's'},
        {"cid-len", required_argument, NULL, 'c'}, {"quiet", no_argument, NULL, 'q'},
        {"rate", required_argument, NULL, 'R'},    {"tcp-handshake", no_argument, NULL, 'H'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    static char listen_text[300] = "127.0.0.1:0", to_text[300];
    struct link_options o;
    struct sigaction sa;
    char *end;
    int opt;

    memset(&o, 0, sizeof(o));
    o.link.seed = 1;
    o.cid_len = 4;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case 't':
            snprintf(to_text, sizeof(to_text), "%s", optarg);
            break;
        case 'l':
            snprintf(listen_text, sizeof(listen_text), "%s", optarg);
            break;
        case 'u':
            o.tcp = 0;
            break;
        case 'T':
            o.tcp = 1;
            break;
        case 'd':
            if (lossy_parse_probability(optarg, &o.link.drop) != 0)
                return bad("--drop '%s' must be a probability: 0 to 1, or 0%% to 100%%", optarg);
            break;
        case 'D':
            if (lossy_parse_probability(optarg, &o.link.duplicate) != 0)
                return bad("--duplicate '%s' must be a probability: 0 to 1, or 0%% to 100%%", optarg);
            break;
        case 'r':
            if (lossy_parse_probability(optarg, &o.link.reorder) != 0)
                return bad("--reorder '%s' must be a probability: 0 to 1, or 0%% to 100%%", optarg);
            break;
        case 'y':
            if (lossy_parse_ms(optarg, &o.link.delay_ms) != 0)
                return bad("--delay '%s' must be a duration up to 60 s: 50, 50ms or 0.05s", optarg);
            break;
        case 'j':
            if (lossy_parse_ms(optarg, &o.link.jitter_ms) != 0)
                return bad("--jitter '%s' must be a duration up to 60 s: 50, 50ms or 0.05s", optarg);
            break;
        case 's':
            errno = 0;
            o.link.seed = strtoull(optarg, &end, 10);
            if (errno != 0 || end == optarg || *end != '\0' || optarg[0] == '-')
                return bad("--seed '%s' must be a whole number", optarg);
            break;
        case 'c':
            o.cid_len = strtoul(optarg, &end, 10);
            if (end == optarg || *end != '\0' || o.cid_len > 255)
                return bad("--cid-len '%s' must be 0 to 255", optarg);
            break;
        case 'q':
            o.quiet = 1;
            break;
        case 'R':
            if (parse_rate(optarg, &o.rate_kbit) != 0)
                return bad("--rate '%s' must be a rate: 60kbit, 1mbit, 1gbit or kbit/s", optarg);
            break;
        case 'H':
            o.tcp_handshake = 1;
            break;
        case 'h':
            usage();
            return 0;
        default:
            return bad("unrecognized option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return bad("unexpected argument '%s'", argv[optind]);
    if (to_text[0] == '\0')
        return bad("%s", "--to HOST:PORT is required");
    if (split_host_port(to_text, &o.to_host, &o.to_port) != 0)
        return bad("--to '%s' must be HOST:PORT", to_text);
    if (split_host_port(listen_text, &o.listen_host, &o.listen_port) != 0)
        return bad("--listen '%s' must be HOST:PORT", listen_text);
    if (o.tcp && (o.link.drop > 0 || o.link.duplicate > 0 || o.link.reorder > 0))
        return bad("%s", "--tcp only delays: TCP itself resends what a network loses");
    if (!o.tcp && (o.rate_kbit > 0 || o.tcp_handshake))
        return bad("%s", "--rate and --tcp-handshake are for --tcp");

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (o.tcp) {
        char rate[48] = "unlimited";

        if (o.rate_kbit > 0)
            snprintf(rate, sizeof(rate), "%g kbit/s", o.rate_kbit);
        link_say("lossy_link: tcp to %s:%s, delay %g ms, jitter %g ms, seed %llu, rate %s, TCP handshake %s",
                 o.to_host, o.to_port, o.link.delay_ms, o.link.jitter_ms, (unsigned long long) o.link.seed,
                 rate, o.tcp_handshake ? "one round trip" : "instant (loopback)");
    } else
        link_say(
            "lossy_link: udp to %s:%s, drop %g%%, duplicate %g%%, reorder %g%%, delay %g ms, jitter %g ms, "
            "seed %llu",
            o.to_host, o.to_port, o.link.drop * 100, o.link.duplicate * 100, o.link.reorder * 100,
            o.link.delay_ms, o.link.jitter_ms, (unsigned long long) o.link.seed);
    return o.tcp ? link_run_tcp(&o) : link_run_udp(&o);
}
