/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file explain.c
 * @brief Explanations of alerts, errors and ClientHellos (see explain.h).
 */
#include "explain.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509.h>
#include <mbedtls/x509_crt.h>

#include "report.h"
#include "tls_names.h"

const char *explain_alert(unsigned char description)
{
    /* The names come from the alerts registry (tls_names.h); the meanings are the workshop's. */
    switch (description) {
    case TLS_ALERT_close_notify:
        return "the peer ended the connection properly.";
    case TLS_ALERT_unexpected_message:
        return "a message arrived out of order (often two programs that "
               "disagree about the protocol, or a plain-text peer).";
    case TLS_ALERT_bad_record_mac:
        return "a record failed its integrity check (corruption, or the two sides "
               "derived different keys).";
    case TLS_ALERT_handshake_failure:
        return "the peer could not agree on the parameters (no common cipher "
               "suite, version or group), or it required a client certificate and got none.";
    case TLS_ALERT_bad_certificate:
        return "the peer rejected the certificate we sent (or the one it wanted "
               "was missing).";
    case TLS_ALERT_unsupported_certificate:
        return "our certificate's type or key is not usable for this.";
    case TLS_ALERT_certificate_revoked:
        return "our certificate is on the peer's revocation list.";
    case TLS_ALERT_certificate_expired:
        return "our certificate is expired or not yet valid for the peer.";
    case TLS_ALERT_certificate_unknown:
        return "the peer could not verify our certificate for another reason.";
    case TLS_ALERT_illegal_parameter:
        return "a field in a message had a value the peer refuses.";
    case TLS_ALERT_unknown_ca:
        return "the peer does not trust the CA that issued our certificate: give it "
               "the right CA file, or send the intermediate certificates too.";
    case TLS_ALERT_access_denied:
        return "the peer verified us but does not allow us in.";
    case TLS_ALERT_decode_error:
        return "the peer could not parse a message we sent.";
    case TLS_ALERT_decrypt_error:
        return "a signature or the Finished check failed on the peer's side.";
    case TLS_ALERT_protocol_version:
        return "no TLS version both sides accept (e.g. a TLS 1.2 minimum "
               "against an old peer).";
    case TLS_ALERT_insufficient_security:
        return "the peer wants stronger cipher suites than we offered.";
    case TLS_ALERT_internal_error:
        return "the peer hit a problem of its own, unrelated to us.";
    case TLS_ALERT_user_canceled:
        return "the peer's application aborted the handshake.";
    case TLS_ALERT_missing_extension:
        return "we left out an extension the peer requires.";
    case TLS_ALERT_unsupported_extension:
        return "we sent an extension the peer never offered.";
    case TLS_ALERT_unrecognized_name:
        return "the peer has no certificate for the server name (SNI) we sent.";
    case TLS_ALERT_unknown_psk_identity:
        return "the server has no pre-shared key for the identity we sent (TLS 1.2).";
    case TLS_ALERT_certificate_required:
        return "the server requires a client certificate and we sent none "
               "(TLS 1.3).";
    case TLS_ALERT_no_application_protocol:
        return "no ALPN protocol in common.";
    default:
        return "an alert this workshop does not explain; see RFC 8446, section 6.";
    }
}

const char *explain_error(int ret)
{
    switch (ret) {
    case MBEDTLS_ERR_X509_CERT_VERIFY_FAILED:
        return "the peer's certificate did not pass verification; the reasons (flags) follow.";
    case MBEDTLS_ERR_SSL_CA_CHAIN_REQUIRED:
        return "verification is required but no trusted CA was given to the configuration: load the "
               "CA file and call mbedtls_ssl_conf_ca_chain().";
    case MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE:
        return "the peer gave up and told us why with a fatal alert: its description is the real error.";
    case MBEDTLS_ERR_SSL_CONN_EOF:
        return "the peer closed the TCP connection in the middle of the handshake, without an alert: "
               "often not a TLS server at all, or one that dropped us (overload, access rules).";
    case MBEDTLS_ERR_NET_CONN_RESET:
        return "the peer reset the TCP connection: it crashed, refused us, or was not a TLS server.";
    case MBEDTLS_ERR_NET_RECV_FAILED:
        return "reading from the socket failed (the connection broke; over UDP, an ICMP error came back, "
               "such as port unreachable).";
    case MBEDTLS_ERR_NET_CONNECT_FAILED:
        return "nothing accepted the TCP connection: is the server running on that host and port?";
    case MBEDTLS_ERR_NET_UNKNOWN_HOST:
        return "the host name did not resolve.";
    case MBEDTLS_ERR_SSL_INVALID_MAC:
        return "a record failed its integrity check: it was corrupted, or the two sides use different "
               "keys (e.g. an alert protected with keys the reader has already replaced).";
    case MBEDTLS_ERR_SSL_TIMEOUT:
        return "the peer went silent for longer than the read timeout (DTLS: past the handshake's last "
               "retransmission).";
    case MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY:
        return "the peer closed the connection properly (close_notify).";
    case MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE:
        return "(server side) the client sent no certificate although one is required.";
    case MBEDTLS_ERR_SSL_UNKNOWN_IDENTITY:
        return "(server side) the client named a pre-shared key identity the server has no key for.";
#if defined(MBEDTLS_ERR_SSL_CERTIFICATE_VERIFICATION_WITHOUT_HOSTNAME)
    case MBEDTLS_ERR_SSL_CERTIFICATE_VERIFICATION_WITHOUT_HOSTNAME:
        return "the certificate would be accepted for any name, because mbedtls_ssl_set_hostname() "
               "was never called; mbedTLS 3.6.3 and later refuse that.";
#endif
    default:
        return NULL;
    }
}

void explain_handshake_failure(int ret, unsigned verify_flags, int received_alert, int sent_alert)
{
    char text[200];
    const char *why = explain_error(ret);

    narrate_info("error -0x%04X: %s", (unsigned) -ret, error_text(ret, text, sizeof(text)));
    if (why != NULL)
        narrate_info("meaning: %s", why);
    /* mbedtls_x509_crt_verify_info() renders every reason; ask it for one
     * flag at a time to name each. */
    for (uint32_t bit = 1; bit != 0 && verify_flags != (unsigned) -1; bit <<= 1) {
        char info[256];
        const char *name = verify_flag_name(bit);

        if ((verify_flags & bit) == 0)
            continue;
        info[0] = '\0';
        if (mbedtls_x509_crt_verify_info(info, sizeof(info), "", bit) > 0)
            info[strcspn(info, "\n")] = '\0';
        narrate_info("certificate: %s (%s)", info[0] != '\0' ? info : "unknown reason",
                     name != NULL ? name : "unknown flag");
    }
    if (received_alert >= 0) {
        const char *name = tls_alert_name((uint8_t) received_alert);

        narrate_info("alert received (%d): %s%s%s", received_alert, name != NULL ? name : "",
                     name != NULL ? ": " : "", explain_alert((unsigned char) received_alert));
    }
    if (sent_alert >= 0)
        narrate_info("alert we sent: %s (%d)",
                     tls_alert_name((uint8_t) sent_alert) ? tls_alert_name((uint8_t) sent_alert) : "?",
                     sent_alert);
}

/* ------------------------------------------------------------------------------------------ */
/* The /hello page                                                                            */

/** A bounded text builder: what does not fit is dropped, the text stays NUL-terminated. */
struct page {
    char *buf;
    size_t cap, len;
    int full;
};

static void put(struct page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct page *p, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (p->full)
        return;
    va_start(ap, fmt);
    n = vsnprintf(p->buf + p->len, p->cap - p->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t) n >= p->cap - p->len) {
        p->buf[p->len] = '\0'; /* drop the partial piece */
        p->full = 1;
        return;
    }
    p->len += (size_t) n;
}

/* Copy text, escaping what HTML would interpret. */
static void put_text(struct page *p, int html, const char *s)
{
    for (; *s != '\0'; s++) {
        if (html && *s == '<')
            put(p, "&lt;");
        else if (html && *s == '>')
            put(p, "&gt;");
        else if (html && *s == '&')
            put(p, "&amp;");
        else if (html && *s == '"')
            put(p, "&quot;");
        else
            put(p, "%c", *s);
    }
}

/* A heading; count (size_t) -1 leaves the count out. */
static void put_heading(struct page *p, int html, const char *title, size_t count)
{
    if (count == (size_t) -1)
        put(p, html ? "<dt>%s</dt><dd>" : "%s:\n  ", title);
    else if (html)
        put(p, "<dt>%s (%zu)</dt><dd>", title, count);
    else
        put(p, "%s (%zu):\n  ", title, count);
}

static void put_end(struct page *p, int html)
{
    put(p, html ? "</dd>\n" : "\n");
}

/* One list: names where known, hex otherwise, comma-separated. */
static void put_list(struct page *p, int html, const char *title, const uint16_t *ids, size_t n,
                     const char *(*name)(uint16_t))
{
    put_heading(p, html, title, n);
    for (size_t i = 0; i < n; i++) {
        const char *nm = name(ids[i]);

        if (nm != NULL)
            put(p, "%s%s", i ? ", " : "", nm);
        else
            put(p, "%s0x%04X", i ? ", " : "", ids[i]);
    }
    if (n == 0)
        put(p, "none");
    put_end(p, html);
}

static const char *version_name16(uint16_t v)
{
    return tls_version_name(v);
}

size_t explain_client_hello(const struct tls_client_hello *hello, const struct tls_server_choice *choice,
                            const char *version, const char *suite, int html, char *out, size_t cap)
{
    struct page p = {out, cap, 0, 0};
    /* Reserve room to close the page even when the lists are long. */
    const size_t tail = 120;

    out[0] = '\0';
    if (cap <= tail)
        return 0;
    p.cap = cap - tail;
    if (html)
        put(&p, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>What your client sent</title>"
                "</head>\n<body><h1>What your TLS client sent</h1>\n");
    else
        put(&p, "What your TLS client sent (its ClientHello), as the lesson server decoded it:\n\n");
    if (!hello->present) {
        put(&p, "%sNo ClientHello was decoded on this connection.%s\n", html ? "<p>" : "",
            html ? "</p>" : "");
    } else {
        if (html)
            put(&p, "<dl>\n");
        put_heading(&p, html, "server name (SNI)", (size_t) -1);
        put_text(&p, html, hello->sni[0] != '\0' ? hello->sni : "none");
        put_end(&p, html);
        put_heading(&p, html, "ALPN protocols", (size_t) -1);
        put_text(&p, html, hello->alpn[0] != '\0' ? hello->alpn : "none");
        put_end(&p, html);
        put_heading(&p, html, "legacy_version", (size_t) -1);
        put(&p, "%s",
            tls_version_name(hello->legacy_version) ? tls_version_name(hello->legacy_version) : "?");
        put_end(&p, html);
        put_list(&p, html, "supported_versions", hello->versions, hello->n_versions, version_name16);
        put_list(&p, html, "groups", hello->groups, hello->n_groups, tls_group_name);
        put_list(&p, html, "signature algorithms", hello->sig_algs, hello->n_sig_algs, tls_sigalg_name);
        put_list(&p, html, "extensions", hello->extensions, hello->n_extensions, tls_extension_name);
        put_list(&p, html, "cipher suites", hello->cipher_suites, hello->n_cipher_suites,
                 tls_cipher_suite_name);
        if (html)
            put(&p, "</dl>\n");
    }
    p.cap = cap; /* the closing part always fits */
    if (p.full) {
        p.full = 0;
        put(&p, html ? "</dd></dl><p>(the rest did not fit)</p>\n" : " [the rest did not fit]\n");
    }
    if (html)
        put(&p, "<h2>What the server chose</h2>\n<p>");
    else
        put(&p, "\nWhat the server chose: ");
    put(&p, "%s, %s", version ? version : "?", suite ? suite : "?");
    if (choice->present && choice->group != 0)
        put(&p, ", key exchange group %s",
            tls_group_name(choice->group) ? tls_group_name(choice->group) : "unknown");
    put(&p, html ? "</p></body></html>\n" : "\n");
    return p.len;
}
