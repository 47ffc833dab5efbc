/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file plain_http_server.c
 * @brief Test peer that does not speak TLS: answers every connection with a
 *        plain-text HTTP error, the way a server on the wrong port would.
 *
 * Listens on 127.0.0.1, port chosen by the system, prints
 * `listening on 127.0.0.1:PORT`, serves N connections (argument, default 1)
 * and exits.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    static const char reply[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
    struct sockaddr_in addr;
    socklen_t len = sizeof(addr);
    int count = argc > 1 ? atoi(argv[1]) : 1;
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (fd < 0 || bind(fd, (struct sockaddr *) &addr, sizeof(addr)) != 0 || listen(fd, 8) != 0 ||
        getsockname(fd, (struct sockaddr *) &addr, &len) != 0) {
        perror("plain_http_server");
        return 1;
    }
    printf("listening on 127.0.0.1:%u\n", ntohs(addr.sin_port));
    fflush(stdout);
    while (count-- > 0) {
        char buf[4096];
        int client = accept(fd, NULL, NULL);

        if (client < 0)
            continue;
        /* Read what the client sent first (a TLS ClientHello), then answer
         * in plain text as an HTTP server would. */
        if (read(client, buf, sizeof(buf)) > 0 && write(client, reply, sizeof(reply) - 1) < 0)
            perror("write");
        close(client);
    }
    close(fd);
    return 0;
}
