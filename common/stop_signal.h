/* SPDX-License-Identifier: Apache-2.0 */
/**
 * @file stop_signal.h
 * @brief SIGINT and SIGTERM as a request to stop: the servers (lessons 08 and
 *        16) finish what they are doing, print their summary and exit.
 */
#ifndef WORKSHOP_STOP_SIGNAL_H
#define WORKSHOP_STOP_SIGNAL_H

#include <stdbool.h>

/** @brief From now on SIGINT and SIGTERM only set the stop flag. */
void stop_signal_catch(void);

/** @brief Whether SIGINT or SIGTERM arrived; safe to call from any thread. */
bool stop_signal_arrived(void);

#endif /* WORKSHOP_STOP_SIGNAL_H */
