#ifndef OCITOOL_COPENSSL_SHIM_H
#define OCITOOL_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>
#include <openssl/rand.h>
#include <openssl/bio.h>
#include <openssl/x509_vfy.h>
#include <openssl/ts.h>
#include <openssl/pkcs7.h>

/* Macros Swift cannot call. */
static inline int ocitool_EVP_PKEY_CTX_set_rsa_padding(EVP_PKEY_CTX *ctx, int pad) {
    return EVP_PKEY_CTX_set_rsa_padding(ctx, pad);
}
static inline int ocitool_EVP_PKEY_CTX_set_rsa_pss_saltlen(EVP_PKEY_CTX *ctx, int len) {
    return EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, len);
}
static inline long ocitool_BIO_get_mem_data(BIO *b, char **pp) {
    return BIO_get_mem_data(b, pp);
}

/* X.509 names as RFC 2253 text (the flag is an OR of macros). */
static inline unsigned long ocitool_XN_FLAG_RFC2253(void) { return XN_FLAG_RFC2253; }

/* STACK_OF(X509): the typed sk_X509_* accessors are function-like macros. */
static inline STACK_OF(X509) *ocitool_sk_X509_new_null(void) { return sk_X509_new_null(); }
static inline int ocitool_sk_X509_push(STACK_OF(X509) *stack, X509 *certificate) { return sk_X509_push(stack, certificate); }
static inline int ocitool_sk_X509_num(const STACK_OF(X509) *stack) { return sk_X509_num(stack); }
static inline X509 *ocitool_sk_X509_value(const STACK_OF(X509) *stack, int index) { return sk_X509_value(stack, index); }
/* Frees the stack and drops one reference to each certificate in it. */
static inline void ocitool_sk_X509_pop_free(STACK_OF(X509) *stack) { sk_X509_pop_free(stack, X509_free); }

/* GENERAL_NAMES (subjectAltName) and EXTENDED_KEY_USAGE stacks. */
static inline int ocitool_sk_GENERAL_NAME_num(const GENERAL_NAMES *names) { return sk_GENERAL_NAME_num(names); }
static inline GENERAL_NAME *ocitool_sk_GENERAL_NAME_value(const GENERAL_NAMES *names, int index) { return sk_GENERAL_NAME_value(names, index); }
static inline int ocitool_sk_ASN1_OBJECT_num(const EXTENDED_KEY_USAGE *usages) { return sk_ASN1_OBJECT_num(usages); }
static inline ASN1_OBJECT *ocitool_sk_ASN1_OBJECT_value(const EXTENDED_KEY_USAGE *usages, int index) { return sk_ASN1_OBJECT_value(usages, index); }

/* RFC 3161 verification flags. */
static inline int ocitool_TS_VFY_signature_version_data(void) { return TS_VFY_SIGNATURE | TS_VFY_VERSION | TS_VFY_DATA; }
#endif
