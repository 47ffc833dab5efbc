/* SPDX-License-Identifier: Apache-2.0 */
/*
 * newlib has no directories, so its <dirent.h> is an #error. mbedTLS's
 * x509_crt.c includes it whenever MBEDTLS_FS_IO is on, for
 * mbedtls_x509_crt_parse_path(), which reads every file of a directory. The
 * lab turns MBEDTLS_FS_IO on for the lessons' stage 02 (files through
 * semihosting) and never calls parse_path(): these declarations let
 * x509_crt.c compile, and the linker drops parse_path(). Nothing defines
 * opendir(): a program that did call parse_path() would fail to link.
 */
#ifndef MCU_BARE_DIRENT_H
#define MCU_BARE_DIRENT_H

/** @brief A directory entry: only the name, which is all x509_crt.c reads. */
struct dirent {
    char d_name[256]; /**< the file's name */
};

/** @brief An open directory (never created on the board). */
typedef struct mcu_bare_dir DIR;

DIR *opendir(const char *name);
struct dirent *readdir(DIR *dir);
int closedir(DIR *dir);

#endif /* MCU_BARE_DIRENT_H */
