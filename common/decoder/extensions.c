/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file extensions.c
 * @brief Extensions: the list in each hello (and in EncryptedExtensions, CertificateRequest and
 *        NewSessionTicket), then one line for each extension whose contents the trace explains.
 *
 * An extension means different things in different messages (key_share carries the client's keys
 * in a ClientHello, the server's one key in a ServerHello, only a group in a HelloRetryRequest), so
 * each decoder gets the message it sits in (enum ext_context). To explain one more extension, add
 * a case to decode_extension(); the extension list names every type from
 * common/tls_names/extensions.def anyway.
 */
#include "decoder.h"

/** The extension must be empty; returns 1 if it was malformed (and says so). */
static int expect_empty(const struct record_decoder *d, int depth, const char *name, const struct reader *r)
{
    if (r->left != 0) {
        decoder_emit(d, depth, "malformed %s: expected no data, got %zu bytes", name, r->left);
        return 1;
    }
    return 0;
}

static void ext_server_name(const struct record_decoder *d, int depth, struct reader *r, enum ext_context ctx,
                            struct tls_client_hello *ch)
{
    struct reader list;
    struct list_printer lp;

    if (ctx != IN_CLIENT_HELLO) {
        if (!expect_empty(d, depth, "server_name", r)) {
            decoder_emit(d, depth, "server_name: the server used the name the client sent");
        }
        return;
    }
    if (!rd_vec(r, "server_name_list", 2, &list)) {
        rd_report_malformed(d, depth, "server_name", r);
        return;
    }
    list_begin(&lp, d, depth, "server_name: ");
    while (list.left > 0) {
        uint32_t type;
        struct reader host;
        char buf[300];
        struct sbuf sb;

        if (!rd_uint(&list, "name_type", 1, &type) || !rd_vec(&list, "host_name", 2, &host)) {
            break;
        }
        sb_init(&sb, buf, sizeof buf);
        if (type == 0) {
            sb_escaped(&sb, host.p, host.left, 64);
            if (ch != NULL && ch->sni[0] == '\0') {
                struct sbuf store;
                sb_init(&store, ch->sni, sizeof ch->sni);
                sb_escaped(&store, host.p, host.left, host.left);
            }
        } else {
            sb_printf(&sb, "name type %u", (unsigned) type);
        }
        list_add(&lp, buf);
    }
    list_end(&lp);
    rd_report_malformed(d, depth, "server_name", &list);
    rd_report_malformed(d, depth, "server_name", r);
}

static void ext_alpn(const struct record_decoder *d, int depth, struct reader *r, enum ext_context ctx,
                     struct tls_client_hello *ch)
{
    struct reader list;
    struct list_printer lp;
    char unused[1];
    struct sbuf store;

    if (!rd_vec(r, "protocol_name_list", 2, &list)) {
        rd_report_malformed(d, depth, "ALPN", r);
        return;
    }
    if (ch != NULL) {
        sb_init(&store, ch->alpn, sizeof ch->alpn);
    } else {
        sb_init(&store, unused, sizeof unused);
    }
    list_begin(&lp, d, depth, ctx == IN_CLIENT_HELLO ? "ALPN protocols: " : "ALPN: the server picked ");
    while (list.left > 0) {
        struct reader name;
        char buf[80];
        struct sbuf sb;

        if (!rd_vec(&list, "protocol_name", 1, &name)) {
            break;
        }
        sb_init(&sb, buf, sizeof buf);
        sb_escaped(&sb, name.p, name.left, 32);
        list_add(&lp, buf);
        if (store.len > 0) {
            sb_printf(&store, ",");
        }
        sb_escaped(&store, name.p, name.left, name.left);
    }
    list_end(&lp);
    rd_report_malformed(d, depth, "ALPN", &list);
    rd_report_malformed(d, depth, "ALPN", r);
}

static void ext_supported_versions(const struct record_decoder *d, int depth, struct reader *r,
                                   enum ext_context ctx, struct tls_client_hello *ch,
                                   struct tls_server_choice *sc)
{
    if (ctx == IN_CLIENT_HELLO) {
        struct reader list;

        if (!rd_vec(r, "versions", 1, &list)) {
            rd_report_malformed(d, depth, "supported_versions", r);
            return;
        }
        list_u16(d, depth, "supported_versions: ", &list, tls_version_name, ch ? ch->versions : NULL,
                 ch ? &ch->n_versions : NULL, ch ? COUNT(ch->versions) : 0);
    } else {
        uint16_t v;
        char hex[8];

        if (!rd_u16(r, "selected_version", &v)) {
            rd_report_malformed(d, depth, "supported_versions", r);
            return;
        }
        decoder_emit(d, depth, "supported_versions: the server selected %s",
                     name_or_hex(tls_version_name(v), v, hex, sizeof hex));
        if (sc != NULL) {
            sc->version = v;
        }
    }
    rd_report_malformed(d, depth, "supported_versions", r);
}

static void ext_key_share(const struct record_decoder *d, int depth, struct reader *r, enum ext_context ctx,
                          struct tls_server_choice *sc)
{
    uint16_t group;
    char hex[8];

    if (ctx == IN_CLIENT_HELLO) {
        struct reader list;
        struct list_printer lp;

        if (!rd_vec(r, "client_shares", 2, &list)) {
            rd_report_malformed(d, depth, "key_share", r);
            return;
        }
        list_begin(&lp, d, depth, "key_share: ");
        while (list.left > 0) {
            struct reader key;
            char item[96];

            if (!rd_u16(&list, "group", &group) || !rd_vec(&list, "key_exchange", 2, &key)) {
                break;
            }
            snprintf(item, sizeof item, "%s (%zu-byte public key)",
                     name_or_hex(tls_group_name(group), group, hex, sizeof hex), key.left);
            list_add(&lp, item);
        }
        list_end(&lp);
        rd_report_malformed(d, depth, "key_share", &list);
    } else if (ctx == IN_HELLO_RETRY_REQUEST) {
        if (!rd_u16(r, "selected_group", &group)) {
            rd_report_malformed(d, depth, "key_share", r);
            return;
        }
        decoder_emit(d, depth, "key_share: the server asks for a key share on %s",
                     name_or_hex(tls_group_name(group), group, hex, sizeof hex));
        if (sc != NULL) {
            sc->group = group;
        }
    } else {
        struct reader key;

        if (!rd_u16(r, "group", &group) || !rd_vec(r, "key_exchange", 2, &key)) {
            rd_report_malformed(d, depth, "key_share", r);
            return;
        }
        decoder_emit(d, depth, "key_share: %s (%zu-byte public key)",
                     name_or_hex(tls_group_name(group), group, hex, sizeof hex), key.left);
        if (sc != NULL) {
            sc->group = group;
        }
    }
    rd_report_malformed(d, depth, "key_share", r);
}

static void ext_pre_shared_key(const struct record_decoder *d, int depth, struct reader *r,
                               enum ext_context ctx, struct tls_server_choice *sc)
{
    if (ctx == IN_CLIENT_HELLO) {
        struct reader identities, binders;
        size_t n_identities = 0;
        size_t n_binders = 0;

        if (!rd_vec(r, "identities", 2, &identities) || !rd_vec(r, "binders", 2, &binders)) {
            rd_report_malformed(d, depth, "pre_shared_key", r);
            return;
        }
        while (identities.left > 0) {
            struct reader identity;
            uint32_t age;

            if (!rd_vec(&identities, "identity", 2, &identity) ||
                !rd_uint(&identities, "obfuscated_ticket_age", 4, &age)) {
                break;
            }
            n_identities++;
        }
        while (binders.left > 0) {
            struct reader binder;

            if (!rd_vec(&binders, "binder", 1, &binder)) {
                break;
            }
            n_binders++;
        }
        decoder_emit(d, depth, "pre_shared_key: %zu %s, %zu %s (the client tries to resume)", n_identities,
                     n_identities == 1 ? "identity" : "identities", n_binders,
                     n_binders == 1 ? "binder" : "binders");
        rd_report_malformed(d, depth, "pre_shared_key", &identities);
        rd_report_malformed(d, depth, "pre_shared_key", &binders);
    } else {
        uint16_t selected;

        if (!rd_u16(r, "selected_identity", &selected)) {
            rd_report_malformed(d, depth, "pre_shared_key", r);
            return;
        }
        decoder_emit(d, depth, "pre_shared_key: the server accepts identity %u (resumption)", selected);
        if (sc != NULL && ctx == IN_SERVER_HELLO) {
            sc->psk_accepted = 1;
        }
    }
    rd_report_malformed(d, depth, "pre_shared_key", r);
}

static void ext_u8_list(const struct record_decoder *d, int depth, struct reader *r, const char *ext,
                        const char *label, const char *const *names, size_t n_names)
{
    struct reader list;
    struct list_printer lp;

    if (!rd_vec(r, "list", 1, &list)) {
        rd_report_malformed(d, depth, ext, r);
        return;
    }
    list_begin(&lp, d, depth, label);
    for (size_t i = 0; i < list.left; i++) {
        unsigned v = list.p[i];
        char buf[16];

        if (v < n_names && names[v] != NULL) {
            list_add(&lp, names[v]);
        } else {
            snprintf(buf, sizeof buf, "0x%02x", v);
            list_add(&lp, buf);
        }
    }
    list_end(&lp);
    rd_report_malformed(d, depth, ext, r);
}

/** Decode one extension's data; ch and sc, when not NULL, collect what the client offered and what
 *  the server chose. */
static void decode_extension(const struct record_decoder *d, int depth, enum ext_context ctx, uint16_t type,
                             struct reader *r, struct tls_client_hello *ch, struct tls_server_choice *sc)
{
    static const char *const point_formats[] = {"uncompressed", "ansiX962_compressed_prime",
                                                "ansiX962_compressed_char2"};
    static const char *const psk_modes[] = {"psk_ke", "psk_dhe_ke"};
    uint32_t v = 0;
    struct reader list;

    switch (type) {
    case TLS_EXT_server_name:
        ext_server_name(d, depth, r, ctx, ch);
        break;
    case TLS_EXT_max_fragment_length:
        if (rd_uint(r, "max_fragment_length", 1, &v) && v >= 1 && v <= 4) {
            decoder_emit(d, depth, "max_fragment_length: %u bytes", 256u << v);
        } else if (r->failed_field == NULL) {
            decoder_emit(d, depth, "max_fragment_length: invalid value %u", (unsigned) v);
        }
        rd_report_malformed(d, depth, "max_fragment_length", r);
        break;
    case TLS_EXT_status_request:
        if (ctx == IN_CLIENT_HELLO) {
            if (rd_uint(r, "status_type", 1, &v)) {
                decoder_emit(d, depth, "status_request: %s",
                             v == 1 ? "the client asks for a stapled OCSP response" : "unknown status type");
            }
            r->left = 0; /* responder ids and request extensions are not shown */
            rd_report_malformed(d, depth, "status_request", r);
        } else if (!expect_empty(d, depth, "status_request", r)) {
            decoder_emit(d, depth, "status_request: the server will staple an OCSP response");
        }
        break;
    case TLS_EXT_supported_groups:
        if (!rd_vec(r, "named_group_list", 2, &list)) {
            rd_report_malformed(d, depth, "supported_groups", r);
            break;
        }
        list_u16(d, depth, "supported_groups: ", &list, tls_group_name, ch ? ch->groups : NULL,
                 ch ? &ch->n_groups : NULL, ch ? COUNT(ch->groups) : 0);
        rd_report_malformed(d, depth, "supported_groups", r);
        break;
    case TLS_EXT_ec_point_formats:
        ext_u8_list(d, depth, r, "ec_point_formats", "ec_point_formats: ", point_formats,
                    COUNT(point_formats));
        break;
    case TLS_EXT_signature_algorithms:
    case TLS_EXT_signature_algorithms_cert:
        if (!rd_vec(r, "supported_signature_algorithms", 2, &list)) {
            rd_report_malformed(d, depth, "signature_algorithms", r);
            break;
        }
        if (type == TLS_EXT_signature_algorithms) {
            list_u16(d, depth, "signature_algorithms: ", &list, tls_sigalg_name, ch ? ch->sig_algs : NULL,
                     ch ? &ch->n_sig_algs : NULL, ch ? COUNT(ch->sig_algs) : 0);
        } else {
            list_u16(d, depth, "signature_algorithms_cert: ", &list, tls_sigalg_name, NULL, NULL, 0);
        }
        rd_report_malformed(d, depth, "signature_algorithms", r);
        break;
    case TLS_EXT_application_layer_protocol_negotiation:
        ext_alpn(d, depth, r, ctx, ch);
        break;
    case TLS_EXT_encrypt_then_mac:
        expect_empty(d, depth, "encrypt_then_mac", r);
        break;
    case TLS_EXT_extended_master_secret:
        expect_empty(d, depth, "extended_master_secret", r);
        break;
    case TLS_EXT_post_handshake_auth:
        expect_empty(d, depth, "post_handshake_auth", r);
        break;
    case TLS_EXT_compress_certificate: {
        static const char *const algorithms[] = {NULL, "zlib", "brotli", "zstd"};
        struct list_printer lp;

        if (!rd_vec(r, "algorithms", 1, &list)) {
            rd_report_malformed(d, depth, "compress_certificate", r);
            break;
        }
        list_begin(&lp, d, depth, "compress_certificate: ");
        while (list.left >= 2) {
            uint16_t alg = 0;
            char hex[8];

            rd_u16(&list, "algorithm", &alg);
            list_add(&lp,
                     name_or_hex(alg < COUNT(algorithms) ? algorithms[alg] : NULL, alg, hex, sizeof hex));
        }
        list_end(&lp);
        rd_report_malformed(d, depth, "compress_certificate", r);
        break;
    }
    case TLS_EXT_record_size_limit:
        if (rd_uint(r, "record_size_limit", 2, &v)) {
            decoder_emit(d, depth, "record_size_limit: %u bytes", (unsigned) v);
        }
        rd_report_malformed(d, depth, "record_size_limit", r);
        break;
    case TLS_EXT_session_ticket:
        if (ctx != IN_CLIENT_HELLO) {
            if (!expect_empty(d, depth, "session_ticket", r)) {
                decoder_emit(d, depth, "session_ticket: the server will send a NewSessionTicket");
            }
        } else if (r->left == 0) {
            decoder_emit(d, depth, "session_ticket: empty (the client would like a ticket)");
        } else {
            decoder_emit(d, depth, "session_ticket: %zu-byte ticket (the client tries to resume)", r->left);
        }
        break;
    case TLS_EXT_pre_shared_key:
        ext_pre_shared_key(d, depth, r, ctx, sc);
        break;
    case TLS_EXT_early_data:
        if (ctx == IN_OTHER_MESSAGE && rd_uint(r, "max_early_data_size", 4, &v)) {
            decoder_emit(d, depth, "early_data: up to %lu bytes", (unsigned long) v);
            rd_report_malformed(d, depth, "early_data", r);
        } else if (!expect_empty(d, depth, "early_data", r)) {
            decoder_emit(d, depth, "early_data: %s",
                         ctx == IN_CLIENT_HELLO ? "the client sends 0-RTT data" : "accepted");
        }
        break;
    case TLS_EXT_supported_versions:
        ext_supported_versions(d, depth, r, ctx, ch, sc);
        break;
    case TLS_EXT_cookie:
        decoder_emit(d, depth, "cookie: %zu bytes", r->left);
        break;
    case TLS_EXT_psk_key_exchange_modes:
        ext_u8_list(d, depth, r, "psk_key_exchange_modes", "psk_key_exchange_modes: ", psk_modes,
                    COUNT(psk_modes));
        break;
    case TLS_EXT_key_share:
        ext_key_share(d, depth, r, ctx, sc);
        break;
    case TLS_EXT_renegotiation_info:
        if (!rd_vec(r, "renegotiated_connection", 1, &list)) {
            rd_report_malformed(d, depth, "renegotiation_info", r);
        } else if (list.left == 0) {
            decoder_emit(d, depth,
                         "renegotiation_info: empty (initial handshake; secure renegotiation "
                         "supported)");
        } else {
            decoder_emit(d, depth, "renegotiation_info: %zu bytes of verify data (renegotiation)", list.left);
        }
        rd_report_malformed(d, depth, "renegotiation_info", r);
        break;
    default:
        break; /* named in the extension list; contents not decoded */
    }
}

void decode_extensions(const struct record_decoder *d, int depth, const struct reader *block,
                       enum ext_context ctx, struct tls_client_hello *ch, struct tls_server_choice *sc)
{
    struct reader r = *block;
    struct list_printer lp;

    list_begin(&lp, d, depth, "extensions: ");
    while (r.left > 0) {
        uint16_t type;
        struct reader data;
        char hex[8];

        if (!rd_u16(&r, "extension type", &type) || !rd_vec(&r, "extension data", 2, &data)) {
            break;
        }
        list_add(&lp, name_or_hex(tls_extension_name(type), type, hex, sizeof hex));
        if (ch != NULL && ch->n_extensions < COUNT(ch->extensions)) {
            ch->extensions[ch->n_extensions++] = type;
        }
    }
    list_end(&lp);
    rd_report_malformed(d, depth, "extensions", &r);

    r = *block;
    while (r.left > 0) {
        uint16_t type;
        struct reader data;

        if (!rd_u16(&r, "extension type", &type) || !rd_vec(&r, "extension data", 2, &data)) {
            break;
        }
        decode_extension(d, depth, ctx, type, &data, ch, sc);
    }
}
