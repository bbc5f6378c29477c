package dev.backuprestore.testing;

import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** An HTTP client that trusts the test apiserver's self-signed serving certificate (tests only). */
final class InsecureHttp {
  private static HttpClient client;

  private InsecureHttp() {}

  static synchronized HttpClient client() {
    if (client == null) {
      try {
        TrustManager trustAll =
            new X509TrustManager() {
              @Override
              public void checkClientTrusted(X509Certificate[] chain, String authType) {}

              @Override
              public void checkServerTrusted(X509Certificate[] chain, String authType) {}

              @Override
              public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
              }
            };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
        System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
        client = HttpClient.newBuilder().sslContext(context).build();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
    return client;
  }
}
