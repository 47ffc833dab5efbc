/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file 12_resume.h
 * @brief What lesson 12's two files share: loading and saving the session
 *        kept between runs (12_resume_file.c), for the lesson (12_resume.c).
 */
#ifndef WORKSHOP_12_RESUME_H
#define WORKSHOP_12_RESUME_H

#include "session_file.h"
#include "stages.h"

/**
 * @brief Read the session the last run saved and load it, if it can be
 *        offered to this server with this method; else say why not (a
 *        warning: the handshake is then a full one).
 * @param path    the session file.
 * @param server  "host:port" of this run.
 * @param method  the method's name (--method).
 * @param sf      the file, read (its cost of the full handshake is used later).
 * @param session where the session is loaded.
 * @return 1 when @p session is ready for mbedtls_ssl_set_session(), else 0.
 */
int saved_session_load(const char *path, const char *server, const char *method, struct session_file *sf,
                       mbedtls_ssl_session *session);

/**
 * @brief Save @p session for the next run, with the header in @p sf.
 * @param path    the session file (written to a temporary name, then renamed).
 * @param server  "host:port" of this run.
 * @param method  the method's name.
 * @param session the session of this run's connection.
 * @param sf      the header to write, and the buffer for the bytes.
 * @return WS_EXIT_OK, or WS_EXIT_SETUP (the message was printed).
 */
int saved_session_save(const char *path, const char *server, const char *method,
                       const mbedtls_ssl_session *session, struct session_file *sf);

#endif /* WORKSHOP_12_RESUME_H */
