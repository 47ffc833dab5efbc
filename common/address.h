/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file address.h
 * @brief Socket addresses as text ("127.0.0.1:4433", "[::1]:4433") for narration and logs.
 */
#ifndef WORKSHOP_ADDRESS_H
#define WORKSHOP_ADDRESS_H

#include <stddef.h>
#include <sys/socket.h>

/** @brief Which end of a socket address_of_socket() describes. */
enum address_end {
    ADDRESS_LOCAL, /**< our own end (getsockname()): the port a server listens on */
    ADDRESS_PEER   /**< the other end (getpeername()): the client of an accepted socket */
};

/**
 * @brief Write one end of a connected or listening socket as "address:port" (IPv4) or
 *        "[address]:port" (IPv6); "unknown" for any other address family.
 * @param fd  the socket.
 * @param end ADDRESS_LOCAL or ADDRESS_PEER.
 * @param out where the text goes.
 * @param len the size of @p out.
 * @return 0, or -1 with errno set when the system cannot say (@p out is then left alone).
 */
int address_of_socket(int fd, enum address_end end, char *out, size_t len);

/**
 * @brief Write an address (from recvfrom(), say) as address_of_socket() does.
 * @param sa  the address.
 * @param out where the text goes.
 * @param len the size of @p out.
 */
void address_format(const struct sockaddr_storage *sa, char *out, size_t len);

/** @brief Most bytes address_bytes() writes (an IPv6 address and a port). */
#define ADDRESS_MAX_BYTES 18

/**
 * @brief An address as bytes: the IP address (4 or 16 bytes), then the port, both in network
 *        order. What a DTLS server binds its cookies to (mbedtls_ssl_set_client_transport_id()).
 * @param sa  the address (IPv4 or IPv6).
 * @param out at least ADDRESS_MAX_BYTES bytes.
 * @return how many bytes were written: 6, 18, or 0 for another address family.
 */
size_t address_bytes(const struct sockaddr_storage *sa, unsigned char *out);

#endif /* WORKSHOP_ADDRESS_H */
