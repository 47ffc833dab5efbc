/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file keylog.c
 * @brief The NSS key log writer behind `--keylog` (see keylog.h).
 */
#include "keylog.h"

#include <string.h>

int keylog_open(struct keylog *k, const char *path)
{
    memset(k, 0, sizeof(*k));
    k->file = fopen(path, "a");
    if (k->file == NULL)
        return -1;
    pthread_mutex_init(&k->lock, NULL);
    k->export.cb = keylog_write;
    k->export.ctx = k;
    return 0;
}

void keylog_write(void *ctx, const char *label, const unsigned char client_random[32],
                  const unsigned char *secret, size_t secret_len)
{
    struct keylog *k = ctx;

    if (k == NULL || k->file == NULL)
        return;
    pthread_mutex_lock(&k->lock);
    fprintf(k->file, "%s ", label);
    for (size_t i = 0; i < 32; i++)
        fprintf(k->file, "%02x", client_random[i]);
    fputc(' ', k->file);
    for (size_t i = 0; i < secret_len; i++)
        fprintf(k->file, "%02x", secret[i]);
    fputc('\n', k->file);
    /* Wireshark may read the file while the program still runs. */
    fflush(k->file);
    k->lines++;
    pthread_mutex_unlock(&k->lock);
}

void keylog_close(struct keylog *k)
{
    if (k->file == NULL)
        return;
    fclose(k->file);
    k->file = NULL;
    pthread_mutex_destroy(&k->lock);
}
