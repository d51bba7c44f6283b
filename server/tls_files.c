/* tls_files.c: reading and checking csperfd's TLS certificate, key and CA. */
#include "tls_files.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* PEM files are small; anything bigger is not one. */
#define MAX_PEM_BYTES (1024 * 1024)

static char *read_text(const char *path, const char *what, status *st)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t used = 0;

	if (f == NULL) {
		status_set(st, STATUS_FAILED_PRECONDITION, "cannot read the %s %s: %s", what, path,
			   strerror(errno));
		return NULL;
	}
	text = malloc(MAX_PEM_BYTES + 1);
	if (text == NULL) {
		status_set(st, STATUS_RESOURCE_EXHAUSTED, "out of memory");
		goto cleanup;
	}
	used = fread(text, 1, MAX_PEM_BYTES + 1, f);
	if (ferror(f) || used > MAX_PEM_BYTES) {
		status_set(st, STATUS_FAILED_PRECONDITION, "the %s %s is not a PEM file", what, path);
		free(text);
		text = NULL;
		goto cleanup;
	}
	text[used] = '\0';
cleanup:
	fclose(f);
	return text;
}

static X509 *first_certificate(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509 *cert = bio != NULL ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;

	BIO_free(bio);
	return cert;
}

static EVP_PKEY *private_key(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *key = bio != NULL ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;

	BIO_free(bio);
	return key;
}

int tls_files_load(tls_files *out, const char *cert_path, const char *key_path,
		   const char *client_ca_path, status *st)
{
	tls_files files = { NULL, NULL, NULL };
	X509 *cert = NULL, *ca = NULL;
	EVP_PKEY *key = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	files.cert_pem = read_text(cert_path, "TLS certificate", st);
	if (files.cert_pem == NULL)
		goto cleanup;
	files.key_pem = read_text(key_path, "TLS key", st);
	if (files.key_pem == NULL)
		goto cleanup;
	cert = first_certificate(files.cert_pem);
	if (cert == NULL) {
		status_set(st, STATUS_FAILED_PRECONDITION,
			   "the TLS certificate %s holds no PEM certificate", cert_path);
		goto cleanup;
	}
	if (X509_cmp_current_time(X509_get0_notAfter(cert)) < 0) {
		status_set(st, STATUS_FAILED_PRECONDITION, "the TLS certificate %s has expired",
			   cert_path);
		goto cleanup;
	}
	key = private_key(files.key_pem);
	if (key == NULL) {
		status_set(st, STATUS_FAILED_PRECONDITION,
			   "the TLS key %s holds no unencrypted PEM private key", key_path);
		goto cleanup;
	}
	if (X509_check_private_key(cert, key) != 1) {
		status_set(st, STATUS_FAILED_PRECONDITION,
			   "the TLS key %s is not the key of the certificate %s", key_path, cert_path);
		goto cleanup;
	}
	if (client_ca_path != NULL) {
		files.client_ca_pem = read_text(client_ca_path, "TLS client CA", st);
		if (files.client_ca_pem == NULL)
			goto cleanup;
		ca = first_certificate(files.client_ca_pem);
		if (ca == NULL) {
			status_set(st, STATUS_FAILED_PRECONDITION,
				   "the TLS client CA %s holds no PEM certificate", client_ca_path);
			goto cleanup;
		}
	}
	*out = files;
	memset(&files, 0, sizeof(files));
	rc = 0;
cleanup:
	X509_free(cert);
	X509_free(ca);
	EVP_PKEY_free(key);
	tls_files_clear(&files);
	return rc;
}

void tls_files_clear(tls_files *files)
{
	if (files->key_pem != NULL)
		OPENSSL_cleanse(files->key_pem, strlen(files->key_pem));
	free(files->cert_pem);
	free(files->key_pem);
	free(files->client_ca_pem);
	memset(files, 0, sizeof(*files));
}
