package io.engage.http;

import io.engage.config.EngageConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for one of the HTTP APIs (docs/configuration.md): a PKCS12 (or JKS) key store holding the server's key and
 * certificate chain, from {@code <api>.tls.keystore} and {@code <api>.tls.keystore.password}. Without a key store the
 * API speaks plain HTTP.
 *
 * @param keystore the key store file
 * @param password its password (and the key's)
 */
public record Tls(Path keystore, String password) {
    public Tls {
        if (!Files.isReadable(keystore)) {
            throw new IllegalArgumentException("TLS key store " + keystore + " is not a readable file");
        }
    }

    /**
     * The TLS settings of the API whose keys start with {@code prefix} ({@code ingest} or {@code query}), or null when
     * {@code <prefix>.tls.keystore} is not set.
     */
    public static Tls of(EngageConfig config, String prefix) {
        boolean ingest = prefix.equals("ingest");
        String path = config.get(ingest ? EngageConfig.INGEST_TLS_KEYSTORE : EngageConfig.QUERY_TLS_KEYSTORE);
        if (path == null || path.isBlank()) {
            return null;
        }
        String password = config.get(
                ingest ? EngageConfig.INGEST_TLS_KEYSTORE_PASSWORD : EngageConfig.QUERY_TLS_KEYSTORE_PASSWORD);
        return new Tls(Path.of(path), password == null ? "" : password);
    }

    /** The URL scheme of an API with these settings ({@code null}: plain HTTP). */
    public static String scheme(Tls tls) {
        return tls == null ? "http" : "https";
    }

    /** The key store, loaded. */
    public KeyStore load() {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance(keystore.toString().endsWith(".jks") ? "JKS" : "PKCS12");
            ks.load(in, password.toCharArray());
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the TLS key store " + keystore + ": " + e.getMessage(), e);
        }
    }

    /**
     * A client context that trusts the certificates of this key store and the JVM's usual authorities: what one
     * instance uses to call another that serves the same certificate (the query API's forwarded requests).
     */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            KeyStore own = load();
            for (String alias : Collections.list(own.aliases())) {
                Certificate[] chain = own.getCertificateChain(alias);
                if (chain != null) {
                    for (int i = 0; i < chain.length; i++) {
                        trust.setCertificateEntry(alias + "-" + i, chain[i]);
                    }
                } else if (own.getCertificate(alias) != null) {
                    trust.setCertificateEntry(alias, own.getCertificate(alias));
                }
            }
            X509TrustManager defaults = x509(null);
            X509TrustManager mine = x509(trust);
            X509TrustManager either = new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                    try {
                        mine.checkClientTrusted(chain, authType);
                    } catch (CertificateException notOurs) {
                        defaults.checkClientTrusted(chain, authType);
                    }
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                    try {
                        mine.checkServerTrusted(chain, authType);
                    } catch (CertificateException notOurs) {
                        defaults.checkServerTrusted(chain, authType);
                    }
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    X509Certificate[] a = mine.getAcceptedIssuers();
                    X509Certificate[] b = defaults.getAcceptedIssuers();
                    X509Certificate[] all = java.util.Arrays.copyOf(a, a.length + b.length);
                    System.arraycopy(b, 0, all, a.length, b.length);
                    return all;
                }
            };
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {either}, null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot build a TLS client context from " + keystore, e);
        }
    }

    /** The X.509 trust manager over {@code store} (null: the JVM's default authorities). */
    private static X509TrustManager x509(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(store);
        for (TrustManager tm : f.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    @Override
    public String toString() {
        return "Tls[keystore=" + keystore + ", password=****]";
    }
}
