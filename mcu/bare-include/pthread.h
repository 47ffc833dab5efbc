/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The board runs one thread. The workshop's debug sink and key log
 * (common/debug_log.c, common/keylog.c) lock a mutex because the lesson
 * server's threads share them; newlib for bare metal declares the mutex
 * type but no functions. These are the four the workshop calls, and
 * mcu/board_mps2.c defines them to do nothing: with one thread there is
 * nothing to wait for.
 */
#ifndef MCU_BARE_PTHREAD_H
#define MCU_BARE_PTHREAD_H

#include <sys/types.h> /* pthread_mutex_t, pthread_mutexattr_t */

int pthread_mutex_init(pthread_mutex_t *mutex, const pthread_mutexattr_t *attr);
int pthread_mutex_destroy(pthread_mutex_t *mutex);
int pthread_mutex_lock(pthread_mutex_t *mutex);
int pthread_mutex_unlock(pthread_mutex_t *mutex);

#endif /* MCU_BARE_PTHREAD_H */
