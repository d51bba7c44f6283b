/*
 * tls_files.h: the PEM files csperfd serves TLS with, read and checked at
 * start-up (libcrypto) so that a wrong file is one clear sentence, not gRPC
 * refusing to listen for a reason it does not say.
 */
#ifndef CSPERF_SERVER_TLS_FILES_H
#define CSPERF_SERVER_TLS_FILES_H

#include "status.h"

typedef struct tls_files {
	char *cert_pem;        /* the certificate chain, leaf first */
	char *key_pem;         /* its private key */
	char *client_ca_pem;   /* CAs of client certificates; NULL: none asked for */
} tls_files;

/* Reads and checks the files: the certificate parses and has not expired,
 * the key parses and belongs to it, the CA file (may be NULL) holds a
 * certificate. On failure returns -1 with st filled and out empty. Free
 * with tls_files_clear. */
int tls_files_load(tls_files *out, const char *cert_path, const char *key_path,
		   const char *client_ca_path, status *st);

/* Wipes the key and frees everything; accepts an empty one. */
void tls_files_clear(tls_files *files);

#endif
