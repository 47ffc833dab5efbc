/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file address.c
 * @brief Socket addresses as text, for narration and logs.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "address.h"

void address_format(const struct sockaddr_storage *sa, char *out, size_t len)
{
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;

    if (sa->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *) sa;

        inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
        port = ntohs(in->sin_port);
        snprintf(out, len, "%s:%u", host, port);
    } else if (sa->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) sa;

        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
        port = ntohs(in6->sin6_port);
        snprintf(out, len, "[%s]:%u", host, port);
    } else {
        snprintf(out, len, "unknown");
    }
}

size_t address_bytes(const struct sockaddr_storage *sa, unsigned char *out)
{
    if (sa->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *) sa;

        memcpy(out, &in6->sin6_addr, 16);
        memcpy(out + 16, &in6->sin6_port, 2);
        return 18;
    }
    if (sa->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *) sa;

        memcpy(out, &in->sin_addr, 4);
        memcpy(out + 4, &in->sin_port, 2);
        return 6;
    }
    return 0;
}

int address_of_socket(int fd, enum address_end end, char *out, size_t len)
{
    struct sockaddr_storage sa;
    socklen_t sa_len = sizeof(sa);
    int ret = end == ADDRESS_LOCAL ? getsockname(fd, (struct sockaddr *) &sa, &sa_len)
                                   : getpeername(fd, (struct sockaddr *) &sa, &sa_len);

    if (ret != 0)
        return -1;
    address_format(&sa, out, len);
    return 0;
}
