/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file test_entropy.c
 * @brief NOT RANDOM: the microcontroller lab's fixed test "entropy" source.
 *
 * A real device feeds mbedTLS from a hardware random number generator
 * (MBEDTLS_ENTROPY_HARDWARE_ALT and mbedtls_hardware_poll(), this very
 * hook). The lab's images are measuring instruments: they must make the
 * same handshake on every run, so that instruction counts, heap and stack
 * repeat exactly. So this source returns a fixed sequence, the same on
 * every boot: every key, nonce and random value of the lab's handshakes is
 * predictable. Never copy this into firmware.
 */
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/entropy.h>

int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen);

/* [test-entropy] */
/* NOT RANDOM. A device's version of this function reads its hardware
 * random number generator; the lab's repeats one fixed sequence. */
int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen)
{
    /* xorshift32 from a fixed seed: varied bytes, no randomness at all. */
    static uint32_t state = 0x6D637573u; /* "mcus" */

    (void) data;
    for (size_t i = 0; i < len; i++) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        output[i] = (unsigned char) (state >> 24);
    }
    *olen = len;
    return 0;
}
/* [test-entropy] */
