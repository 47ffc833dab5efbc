/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file reader.c
 * @brief The bounds-checked reader: every field the decoder reads goes through it, so hostile input
 *        ends in a "malformed" line, never in an out-of-bounds read.
 */
#include "decoder.h"

void rd_init(struct reader *r, const unsigned char *p, size_t n)
{
    r->p = p;
    r->left = n;
    r->failed_field = NULL;
    r->wanted = 0;
    r->had = 0;
}

static int rd_fail(struct reader *r, const char *field, size_t wanted)
{
    if (r->failed_field == NULL) {
        r->failed_field = field;
        r->wanted = wanted;
        r->had = r->left;
    }
    return 0;
}

int rd_take(struct reader *r, const char *field, size_t n, const unsigned char **out)
{
    if (r->failed_field != NULL) {
        return 0;
    }
    if (n > r->left) {
        return rd_fail(r, field, n);
    }
    *out = r->p;
    r->p += n;
    r->left -= n;
    return 1;
}

int rd_uint(struct reader *r, const char *field, size_t n, uint32_t *value)
{
    const unsigned char *b;

    if (!rd_take(r, field, n, &b)) {
        return 0;
    }
    *value = 0;
    for (size_t i = 0; i < n; i++) {
        *value = (*value << 8) | b[i];
    }
    return 1;
}

int rd_u16(struct reader *r, const char *field, uint16_t *value)
{
    uint32_t v;

    if (!rd_uint(r, field, 2, &v)) {
        return 0;
    }
    *value = (uint16_t) v;
    return 1;
}

int rd_vec(struct reader *r, const char *field, size_t len_bytes, struct reader *sub)
{
    uint32_t n;
    const unsigned char *b;

    if (!rd_uint(r, field, len_bytes, &n) || !rd_take(r, field, n, &b)) {
        return 0;
    }
    rd_init(sub, b, n);
    return 1;
}

int rd_report_malformed(const struct record_decoder *d, int depth, const char *what, const struct reader *r)
{
    if (r->failed_field != NULL) {
        decoder_emit(d, depth, "malformed %s: %s needs %zu bytes, only %zu left", what, r->failed_field,
                     r->wanted, r->had);
        return 1;
    }
    if (r->left > 0) {
        decoder_emit(d, depth, "malformed %s: %zu unexpected bytes at the end", what, r->left);
        return 1;
    }
    return 0;
}

void list_u16(const struct record_decoder *d, int depth, const char *label, struct reader *vec,
              const char *(*name_of)(uint16_t), uint16_t *store, size_t *n_store, size_t store_cap)
{
    struct list_printer lp;

    list_begin(&lp, d, depth, label);
    while (vec->left >= 2) {
        uint16_t v = 0;
        char hex[8];

        rd_u16(vec, "entry", &v);
        list_add(&lp, name_or_hex(name_of(v), v, hex, sizeof hex));
        if (store != NULL && *n_store < store_cap) {
            store[(*n_store)++] = v;
        }
    }
    list_end(&lp);
    if (vec->left != 0) {
        decoder_emit(d, depth, "malformed list: odd length (%zu byte left over)", vec->left);
    }
}
